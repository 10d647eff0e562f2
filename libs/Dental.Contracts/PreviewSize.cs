namespace Dental.Contracts;

public static class PreviewSize
{
    public const string Small = "small";
    public const string Medium = "medium";

    /// <summary>The viewing rendition (fits 1600 px): made with small and medium for originals; variants have none.</summary>
    public const string Large = "large";

    /// <summary>What "ready" means for every image, variants and images stored before the viewing rendition existed included: these exist.</summary>
    public static IReadOnlyList<string> Ready { get; } = [Small, Medium];

    public static IReadOnlyList<string> All { get; } = [Small, Medium, Large];
}

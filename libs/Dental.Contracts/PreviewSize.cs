namespace Dental.Contracts;

public static class PreviewSize
{
    public const string Small = "small";
    public const string Medium = "medium";

    /// <summary>The viewing rendition (fits 1600 px): rendered after the image is ready, at a lower priority.</summary>
    public const string Large = "large";

    /// <summary>What "ready" means: these exist.</summary>
    public static IReadOnlyList<string> Ready { get; } = [Small, Medium];

    public static IReadOnlyList<string> All { get; } = [Small, Medium, Large];
}

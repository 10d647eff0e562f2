namespace Dental.Contracts;

public static class PreviewSize
{
    public const string Small = "small";
    public const string Medium = "medium";

    public static IReadOnlyList<string> All { get; } = [Small, Medium];
}

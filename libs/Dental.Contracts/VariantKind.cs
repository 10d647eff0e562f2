namespace Dental.Contracts;

/// <summary>What a variant of an original is: a derived image stored beside it.</summary>
public static class VariantKind
{
    public const string Annotated = "annotated";
    public const string Heatmap = "heatmap";
    public const string Segmentation = "segmentation";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } = [Annotated, Heatmap, Segmentation, Other];
}

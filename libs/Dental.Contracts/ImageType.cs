using System.Diagnostics.CodeAnalysis;

namespace Dental.Contracts;

/// <summary>The clinical kind of an image, as the public API spells it.</summary>
public static class ImageType
{
    public const string Before = "before";
    public const string After = "after";
    public const string Xray = "xray";
    public const string Clinical = "clinical";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } = [Before, After, Xray, Clinical, Other];

    public static bool TryParse(string? value, [NotNullWhen(true)] out string? type)
    {
        type = All.FirstOrDefault(t => string.Equals(t, value?.Trim(), StringComparison.OrdinalIgnoreCase));
        return type is not null;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Dental.Contracts;

/// <summary>An opaque patient identifier (never a name): 1–64 characters of [A-Za-z0-9-].</summary>
public static partial class PatientId
{
    public const int MaxLength = 64;

    public static bool IsValid([NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

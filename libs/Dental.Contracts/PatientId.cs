using System.Diagnostics.CodeAnalysis;

namespace Dental.Contracts;

/// <summary>An opaque patient identifier (never a name): 1–64 characters of [A-Za-z0-9-].</summary>
public static class PatientId
{
    public const int MaxLength = 64;

    /// <summary>Checks every character (no pattern whose end anchor lets a final newline through).</summary>
    public static bool IsValid([NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= MaxLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}

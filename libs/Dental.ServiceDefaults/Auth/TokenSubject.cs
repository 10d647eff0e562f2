using System.Diagnostics.CodeAnalysis;

namespace Dental.ServiceDefaults.Auth;

/// <summary>
/// The signed-in user's id (the token's <c>sub</c>): recorded as the uploader and in audit records, so a
/// token without one, or with one that is not a plain printable id, is refused.
/// </summary>
public static class TokenSubject
{
    public const string ClaimType = "sub";

    public const int MaxLength = 128;

    public static bool IsValid([NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= MaxLength } && value.All(c => c is > ' ' and < '\u007f');
}

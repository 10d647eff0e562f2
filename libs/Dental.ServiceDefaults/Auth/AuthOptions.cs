using System.ComponentModel.DataAnnotations;

namespace Dental.ServiceDefaults.Auth;

/// <summary>
/// Token validation. Either <see cref="Authority"/> (Microsoft Entra ID / any OpenID Connect issuer) or,
/// for local development and tests, a symmetric <see cref="SigningKey"/>.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    public string? Authority { get; set; }

    /// <summary>A provider on this machine (a test identity provider) is the only one allowed to serve its metadata over plain HTTP.</summary>
    public bool AuthorityIsOnThisMachine => Uri.TryCreate(Authority, UriKind.Absolute, out var authority) && authority.IsLoopback;

    [Required]
    public string Audience { get; set; } = "api://dental";

    /// <summary>Issuer of locally minted tokens (ignored when an authority is set: its metadata says).</summary>
    public string Issuer { get; set; } = "dental-dev";

    /// <summary>At least 32 characters; only for Development and tests.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The claim naming the token's clinic: <c>clinic</c>, or <c>tid</c> when each clinic is its own Microsoft Entra tenant.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_:/.-]{1,100}$")]
    public string ClinicClaim { get; set; } = "clinic";

    [Range(1, 1440)]
    public int DevTokenLifetimeMinutes { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Authority) && string.IsNullOrWhiteSpace(SigningKey))
        {
            yield return new ValidationResult("Set Auth:Authority (OpenID Connect) or Auth:SigningKey (development).", [nameof(Authority), nameof(SigningKey)]);
        }

        if (!string.IsNullOrWhiteSpace(SigningKey) && SigningKey.Length < 32)
        {
            yield return new ValidationResult("Auth:SigningKey must be at least 32 characters.", [nameof(SigningKey)]);
        }
    }
}

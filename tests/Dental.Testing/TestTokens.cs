using System.Security.Claims;
using Dental.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dental.Testing;

/// <summary>Tokens for tests: valid ones from the platform's own issuer, and deliberately broken ones.</summary>
public static class TestTokens
{
    private static readonly AuthOptions Options = new() { SigningKey = TestScope.SigningKey };

    /// <summary>The clinic tests act in unless they say otherwise.</summary>
    public const string Clinic = "clinic-a";

    public static string For(string role, string subject = "test-user", string? clinic = Clinic) =>
        new DevelopmentTokenIssuer(Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System).Issue(role, subject, clinic);

    /// <summary>A token naming its clinic in <paramref name="claimType"/> (for example Entra ID's <c>tid</c>) instead of <c>clinic</c>.</summary>
    public static string WithClinicClaim(string role, string claimType, string clinic) =>
        new DevelopmentTokenIssuer(Microsoft.Extensions.Options.Options.Create(new AuthOptions { SigningKey = TestScope.SigningKey, ClinicClaim = claimType }), TimeProvider.System)
            .Issue(role, "test-user", clinic);

    public static string Expired(string role) => Craft(role, Options.Audience, TestScope.SigningKey, DateTime.UtcNow.AddHours(-2));

    public static string WrongAudience(string role) => Craft(role, "api://someone-else", TestScope.SigningKey, DateTime.UtcNow);

    /// <summary>Valid in every other way, but its subject is missing (null) or not a plain id.</summary>
    public static string WithSubject(string role, string? subject) => Craft(role, Options.Audience, TestScope.SigningKey, DateTime.UtcNow, subject);

    public static string WrongSignature(string role) => Craft(role, Options.Audience, "another-key-that-is-also-long-enough-for-hmac", DateTime.UtcNow);

    private static string Craft(string role, string audience, string key, DateTime issuedAt, string? subject = "test-user") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Options.Issuer,
            Audience = audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt.AddMinutes(30),
            Subject = new ClaimsIdentity(subject is null
                ? [new Claim(Roles.ClaimType, role), new Claim("clinic", Clinic)]
                : [new Claim("sub", subject), new Claim(Roles.ClaimType, role), new Claim("clinic", Clinic)]),
            SigningCredentials = new SigningCredentials(AuthExtensions.SigningKey(key), SecurityAlgorithms.HmacSha256),
        });
}

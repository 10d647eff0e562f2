using System.Security.Claims;
using Dental.ServiceDefaults.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dental.Testing;

/// <summary>Tokens for tests: valid ones from the platform's own issuer, and deliberately broken ones.</summary>
public static class TestTokens
{
    private static readonly AuthOptions Options = new() { SigningKey = TestScope.SigningKey };

    public static string For(string role, string subject = "test-user") =>
        new DevelopmentTokenIssuer(Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System).Issue(role, subject);

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
            Subject = new ClaimsIdentity(subject is null ? [new Claim(Roles.ClaimType, role)] : [new Claim("sub", subject), new Claim(Roles.ClaimType, role)]),
            SigningCredentials = new SigningCredentials(AuthExtensions.SigningKey(key), SecurityAlgorithms.HmacSha256),
        });
}

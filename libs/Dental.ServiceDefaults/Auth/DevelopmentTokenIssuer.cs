using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dental.ServiceDefaults.Auth;

/// <summary>Mints short-lived tokens signed with the local key. Only ever wired up in Development.</summary>
public sealed class DevelopmentTokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>A token for a role and subject, naming <paramref name="clinic"/> in the configured clinic claim (none when null).</summary>
    public string Issue(string role, string subject, string? clinic)
    {
        var auth = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(auth.DevTokenLifetimeMinutes),
            Subject = new ClaimsIdentity(clinic is null
                ? [new Claim("sub", subject), new Claim(Roles.ClaimType, role)]
                : [new Claim("sub", subject), new Claim(Roles.ClaimType, role), new Claim(auth.ClinicClaim, clinic)]),
            SigningCredentials = new SigningCredentials(
                AuthExtensions.SigningKey(auth.SigningKey ?? throw new InvalidOperationException("Auth:SigningKey is not set.")),
                SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}

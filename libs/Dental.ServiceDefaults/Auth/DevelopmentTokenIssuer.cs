using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dental.ServiceDefaults.Auth;

/// <summary>Mints short-lived tokens signed with the local key. Only ever wired up in Development.</summary>
public sealed class DevelopmentTokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    public string Issue(string role, string subject)
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
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim(Roles.ClaimType, role)]),
            SigningCredentials = new SigningCredentials(
                AuthExtensions.SigningKey(auth.SigningKey ?? throw new InvalidOperationException("Auth:SigningKey is not set.")),
                SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}

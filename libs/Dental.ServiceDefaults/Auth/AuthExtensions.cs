using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Dental.ServiceDefaults.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddDentalAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) => Configure(jwt, auth.Value));
        builder.Services.AddAuthorization(Policies.Configure);
        return builder;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth)
    {
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidAudience = auth.Audience,
            RoleClaimType = Roles.ClaimType,
            NameClaimType = "sub",
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        if (!string.IsNullOrWhiteSpace(auth.Authority))
        {
            jwt.Authority = auth.Authority;
            jwt.RequireHttpsMetadata = !auth.AuthorityIsOnThisMachine;
            return;
        }

        jwt.TokenValidationParameters.ValidIssuer = auth.Issuer;
        jwt.TokenValidationParameters.IssuerSigningKey = SigningKey(auth.SigningKey!);
    }

    public static SymmetricSecurityKey SigningKey(string secret) => new(Encoding.UTF8.GetBytes(secret));
}

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
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddValidatedOptions<AuthOptions>(AuthOptions.Section)
            .Validate(auth => development || string.IsNullOrWhiteSpace(auth.SigningKey),
                "Auth:SigningKey is for the Development environment only: outside it tokens are accepted only from Auth:Authority, so remove the key.");
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddSingleton(sp => new CachingTokenHandler(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, CachingTokenHandler>((jwt, auth, tokens) =>
            {
                Configure(jwt, auth.Value);
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(tokens);
            });
        builder.Services.AddAuthorization(Policies.Configure);
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ClinicRefusalHandler>();
        return builder;
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth)
    {
        jwt.MapInboundClaims = false;
        // Nothing reads the token back from the sign-in ticket (the gateway forwards the Authorization header as it came),
        // and storing it there cost every request a properties dictionary.
        jwt.SaveToken = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidAudience = auth.Audience,
            RoleClaimType = Roles.ClaimType,
            NameClaimType = TokenSubject.ClaimType,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        jwt.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (!TokenSubject.IsValid(context.Principal?.FindFirst(TokenSubject.ClaimType)?.Value))
                {
                    context.Fail("The token has no valid subject (sub).");
                    return Task.CompletedTask;
                }

                if (context.Principal?.Identity is System.Security.Claims.ClaimsIdentity identity)
                {
                    ClinicClaims.Normalize(identity, auth.ClinicClaim);
                }

                return Task.CompletedTask;
            },
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

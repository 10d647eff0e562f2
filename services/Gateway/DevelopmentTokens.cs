using Dental.Contracts.Api;
using Dental.ServiceDefaults;
using Dental.ServiceDefaults.Auth;

namespace Dental.Gateway;

/// <summary>
/// POST /dev/token mints a token for a role, subject and clinic, signed with the local key. The endpoint is
/// registered only in the Development environment: elsewhere the route does not exist at all. Without a clinic
/// the token names none, and patient data refuses it (403), as it would any such token.
/// </summary>
internal static class DevelopmentTokens
{
    public sealed record TokenRequest(string? Role, string? Sub, string? Clinic);

    public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

    public static IServiceCollection AddDevelopmentTokens(this IServiceCollection services, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton<DevelopmentTokenIssuer>();
        }

        return services;
    }

    public static WebApplication MapDevelopmentTokens(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return app;
        }

        app.MapPost("/dev/token", (TokenRequest request, DevelopmentTokenIssuer issuer, Microsoft.Extensions.Options.IOptions<AuthOptions> options) =>
        {
            if (request.Role is null || !Roles.All.Contains(request.Role))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    type: "https://dental.example/problems/invalid-role",
                    title: "Unknown role",
                    detail: $"role must be one of: {string.Join(", ", Roles.All)}.",
                    extensions: new Dictionary<string, object?> { ["field"] = "role" });
            }

            var subject = string.IsNullOrWhiteSpace(request.Sub) ? "dev-user" : request.Sub;
            if (!TokenSubject.IsValid(subject))
            {
                return ProblemDetailsExtensions.FieldProblem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidField, "Invalid field", "sub",
                    $"sub must be 1–{TokenSubject.MaxLength} printable characters without spaces.");
            }

            if (request.Clinic is not null && !ClinicClaims.IsValidId(request.Clinic))
            {
                return ProblemDetailsExtensions.FieldProblem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidField, "Invalid field", "clinic",
                    $"clinic must be 1–{ClinicClaims.MaxIdLength} characters of A–Z, a–z, 0–9 and '-'.");
            }

            var token = issuer.Issue(request.Role, subject, request.Clinic);
            return Results.Ok(new TokenResponse(token, "Bearer", options.Value.DevTokenLifetimeMinutes * 60));
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}

using Dental.Contracts.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Dental.ServiceDefaults.Auth;

/// <summary>
/// A signed-in caller refused because of its clinic learns why (a problem detail) instead of getting a bare 403: the token
/// names none, the clinic is not served, or the registry cannot be read right now (503, retry).
/// </summary>
internal sealed class ClinicRefusalHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var failure = authorizeResult.Forbidden ? authorizeResult.AuthorizationFailure : null;
        if (failure?.FailureReasons.Any(r => r.Message == RegisteredClinicRequirement.Unavailable) == true)
        {
            context.Response.Headers.RetryAfter = "5";
            return RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "Service unavailable",
                "The clinic registry cannot be read right now; retry after Retry-After.");
        }

        if (failure?.FailedRequirements.OfType<ClaimsAuthorizationRequirement>().Any(r => r.ClaimType == ClinicClaims.ClaimType) == true)
        {
            return RefuseAsync(context, StatusCodes.Status403Forbidden, ProblemTypes.NoClinic, "The token names no clinic",
                "Patient data is served only inside a clinic: sign in to a clinic (the token's clinic claim).");
        }

        if (failure?.FailedRequirements.OfType<RegisteredClinicRequirement>().Any() == true)
        {
            return RefuseAsync(context, StatusCodes.Status403Forbidden, ProblemTypes.ClinicNotServed, "The clinic is not served",
                "The token's clinic is not registered with the platform, or it is suspended or closed.");
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static Task RefuseAsync(HttpContext context, int status, string type, string title, string detail)
    {
        context.Response.StatusCode = status;
        return Results.Problem(statusCode: status, type: type, title: title, detail: detail).ExecuteAsync(context);
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Dental.ServiceDefaults.Auth;

/// <summary>A signed-in caller refused because of its clinic (none named, or one the platform does not serve) learns why (a problem detail), instead of a bare 403.</summary>
internal sealed class ClinicRefusalHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ClaimsAuthorizationRequirement>()
                .Any(r => r.ClaimType == ClinicClaims.ClaimType) == true)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                type: Contracts.Api.ProblemTypes.NoClinic,
                title: "The token names no clinic",
                detail: "Patient data is served only inside a clinic: sign in to a clinic (the token's clinic claim).").ExecuteAsync(context);
            return;
        }

        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.Any(r => r.Message == RegisteredClinicRequirement.Unavailable) == true)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            await Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                type: Contracts.Api.ProblemTypes.Unavailable,
                title: "Service unavailable",
                detail: "The clinic registry cannot be read right now; retry after Retry-After.").ExecuteAsync(context);
            return;
        }

        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RegisteredClinicRequirement>().Any() == true)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                type: Contracts.Api.ProblemTypes.ClinicNotServed,
                title: "The clinic is not served",
                detail: "The token's clinic is not registered with the platform, or it is suspended or closed.").ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Dental.ServiceDefaults.Auth;

/// <summary>A signed-in caller refused because the token names no clinic learns why (a problem detail), instead of a bare 403.</summary>
internal sealed class ClinicRefusalHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ClaimsAuthorizationRequirement>()
                .Any(r => r.ClaimType == Clinics.ClaimType) == true)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                type: Contracts.Api.ProblemTypes.NoClinic,
                title: "The token names no clinic",
                detail: "Patient data is served only inside a clinic: sign in to a clinic (the token's clinic claim).").ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

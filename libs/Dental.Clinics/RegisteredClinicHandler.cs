using Dental.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authorization;

namespace Dental.Clinics;

/// <summary>
/// Admits a token only while its clinic is registered and active in the <see cref="ClinicRegistry"/>. When the registry
/// cannot be read and has no answer yet, the request is refused as unavailable (503), never let through.
/// </summary>
internal sealed class RegisteredClinicHandler(ClinicRegistry registry) : AuthorizationHandler<RegisteredClinicRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RegisteredClinicRequirement requirement)
    {
        if (context.User.FindFirst(ClinicClaims.ClaimType)?.Value is not { } clinic)
        {
            return;
        }

        try
        {
            if (await registry.ServesAsync(clinic, CancellationToken.None))
            {
                context.Succeed(requirement);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever keeps the registry from answering (storage down, refused, throttled): unavailable, never admitted.
            context.Fail(new AuthorizationFailureReason(this, RegisteredClinicRequirement.Unavailable));
        }
    }
}

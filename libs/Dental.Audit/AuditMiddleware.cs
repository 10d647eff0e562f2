using System.Diagnostics;
using System.Security.Claims;
using Dental.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Dental.Audit;

/// <summary>
/// Records every answer of an audited route, written by the service that gives it: the record is stored before the
/// response starts (awaited in OnStarting), so no caller ever holds a 2xx without its record; if it cannot be stored the
/// request fails instead. Refusals (401, 403, 404, 429) are left to the gateway, which aggregates them.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, AuditTrail trail, IHostEnvironment environment, TimeProvider time)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (!trail.Enabled || http.GetEndpoint()?.Metadata.GetMetadata<AuditedAction>() is not { } audited)
        {
            return next(http);
        }

        var scope = new AuditScope();
        http.Features.Set(scope);
        http.Response.OnStarting(() => RefusalAudit.IsRefusal(http.Response.StatusCode)
            ? Task.CompletedTask
            : trail.WriteAsync(Record(http, audited.Action, scope)));
        return next(http);
    }

    private AuditRecord Record(HttpContext http, string action, AuditScope scope)
    {
        var imageIds = new List<string>(scope.ImageIds);
        if (http.GetRouteValue("imageId") is { } imageId && !imageIds.Contains(imageId.ToString()!))
        {
            imageIds.Insert(0, imageId.ToString()!);
        }

        return new AuditRecord
        {
            Id = Guid.CreateVersion7().ToString("D"),
            Time = time.GetUtcNow(),
            ClinicId = http.User.FindFirst(ClinicClaims.ClaimType)?.Value,
            Actor = http.User.FindFirst(TokenSubject.ClaimType)?.Value,
            Role = RoleOf(http.User),
            Action = action,
            EventType = AuditActions.EventTypeOf[action],
            PatientId = http.GetRouteValue("patientId") as string ?? scope.PatientId,
            ImageIds = imageIds,
            Outcome = http.Response.StatusCode,
            TraceId = Activity.Current?.TraceId.ToString(),
            ClientAddress = ClientAddress(http),
            Service = environment.ApplicationName,
        };
    }

    internal static string? RoleOf(ClaimsPrincipal user) =>
        Roles.All.Where(user.IsInRole).ToList() is { Count: > 0 } roles ? string.Join(',', roles) : null;

    /// <summary>
    /// The caller's address as the gateway saw it: the gateway sets X-Forwarded-For (replacing any the client sent), and the
    /// services take traffic only from the gateway (internal ingress in Azure); a direct caller shows its own address.
    /// </summary>
    private static string? ClientAddress(HttpContext http) =>
        http.Request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
        ?? http.Connection.RemoteIpAddress?.ToString();
}

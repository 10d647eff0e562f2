using System.Diagnostics;
using System.Security.Claims;
using Dental.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dental.Audit;

/// <summary>
/// Records the answer of an audited route, in the service that gives it: once the handler has decided its answer and before
/// that answer is sent, the record is stored (awaited; group commit), so no caller ever holds an answer without its record.
/// If the record cannot be stored the caller gets 503 and not the data. The outcome is the status the route decided (a content
/// read later answered 304 from the client's copy, or 206 for a range, is recorded as 200). Refusals (401, 403, 404, 429)
/// are left to the gateway, which counts them per caller and minute.
/// </summary>
internal sealed class AuditFilter(string action) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var trail = http.RequestServices.GetRequiredService<AuditTrail>();
        if (!trail.Enabled)
        {
            return await next(context);
        }

        var scope = new AuditScope();
        http.Features.Set(scope);
        object? answer;
        try
        {
            answer = await next(context);
        }
        catch (Exception) when (!http.RequestAborted.IsCancellationRequested)
        {
            // No data leaves with an error; its record is best effort.
            _ = trail.WriteAsync(Record(http, action, StatusCodes.Status500InternalServerError, scope)).ContinueWith(t => t.Exception, TaskScheduler.Default);
            throw;
        }

        var status = answer is IStatusCodeHttpResult { StatusCode: { } decided } ? decided : StatusCodes.Status200OK;
        if (RefusalAudit.IsRefusal(status) || scope.Unrecorded)
        {
            return answer;
        }

        try
        {
            await trail.WriteAsync(Record(http, action, status, scope));
        }
        catch (AuditUnavailableException)
        {
            http.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Audit trail unavailable",
                detail: "The request could not be recorded in the audit trail, so it was not answered. Try again shortly.");
        }

        return answer;
    }

    private static AuditRecord Record(HttpContext http, string action, int status, AuditScope scope)
    {
        var imageIds = new List<string>(scope.ImageIds);
        if (http.GetRouteValue("imageId")?.ToString() is { } imageId && !imageIds.Contains(imageId))
        {
            imageIds.Insert(0, imageId);
        }

        return new AuditRecord
        {
            Id = Guid.CreateVersion7().ToString("D"),
            Time = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            ClinicId = http.User.FindFirst(ClinicClaims.ClaimType)?.Value,
            Actor = http.User.FindFirst(TokenSubject.ClaimType)?.Value,
            Role = RoleOf(http.User),
            Action = action,
            EventType = AuditActions.EventTypeOf[action],
            PatientId = http.GetRouteValue("patientId") as string ?? scope.PatientId,
            ImageIds = imageIds,
            Outcome = status,
            TraceId = Activity.Current?.TraceId.ToString(),
            ClientAddress = ClientAddress(http),
            Service = http.RequestServices.GetRequiredService<IHostEnvironment>().ApplicationName,
            Count = 1,
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

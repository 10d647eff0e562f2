using System.Text.Json;
using Dental.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dental.ServiceDefaults.Health;

public static class HealthEndpoints
{
    /// <summary>Tag for checks that decide readiness (dependencies reachable), not liveness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Every health path starts here (telemetry and rate limits leave them out).</summary>
    public const string Prefix = "/health";

    public const string LivePath = Prefix + "/live";

    public const string ReadyPath = Prefix + "/ready";

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false })
            .AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReport,
        }).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Anonymous callers (probes, anyone on the internet at the gateway) learn healthy or unhealthy only; which
    /// check failed and why (addresses, backend names) is logged by the health check service and shown to admins.
    /// </summary>
    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        if (!context.User.IsInRole(Roles.Admin))
        {
            return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString() }, JsonSerializerOptions.Web));
        }

        var body = new
        {
            status = report.Status.ToString(),
            totalMs = (int)report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, ms = (int)e.Value.Duration.TotalMilliseconds }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}

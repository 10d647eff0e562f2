using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.Health;
using Dental.ServiceDefaults.Resilience;
using Dental.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dental.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>What every Dental service shares: telemetry, health, problem details, auth and resilience.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.AddDentalTelemetry();
        builder.Services.AddHealthChecks();
        builder.Services.AddDentalProblemDetails();
        builder.AddDentalAuthentication();
        builder.Services.AddDentalResilience();
        return builder;
    }

    /// <summary>
    /// Health endpoints, error handling and auth middleware, in the order they must run;
    /// <paramref name="afterAuthentication"/> runs once the caller is known and before any refusal (the gateway's rate limiter).
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app, Action<WebApplication>? afterAuthentication = null)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        afterAuthentication?.Invoke(app);
        app.UseAuthorization();
        app.MapHealthEndpoints();
        return app;
    }
}

using Dental.ServiceDefaults;
using Dental.ServiceDefaults.Health;
using Dental.ServiceDefaults.Resilience;

namespace Dental.Gateway;

public static class GatewayExtensions
{
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GatewayOptions>(GatewayOptions.Section);
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        builder.Services.AddHttpClient(BackendHealth.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(3));
        builder.Services.AddHttpClient(PublicOpenApi.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30)).AddServiceResilience();
        builder.Services.AddHealthChecks().AddReadinessProbe("backends", BackendHealth.ProbeAsync);
        builder.Services.AddDevelopmentTokens(builder.Environment);
        builder.Services.AddGatewayCors();
        builder.Services.AddPerUserRateLimiting();
        builder.Services.AddWebClient();
        return builder;
    }

    /// <summary>Gateway-only middleware; runs before the shared defaults (auth) so every answer carries ids and headers, and the web client's files need no token.</summary>
    public static WebApplication UseGatewayEdge(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseCors();
        app.UseWebClient();
        return app;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapDevelopmentTokens();
        app.MapWebClientConfig();
        app.MapGet("/openapi/v1.json", PublicOpenApi.GetAsync).ExcludeFromDescription();
        app.MapReverseProxy(proxy => proxy.UseMiddleware<RouteBodyLimitMiddleware>());
        return app;
    }
}

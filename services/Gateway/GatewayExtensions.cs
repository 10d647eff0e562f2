using Dental.Audit;
using Dental.Clinics;
using Dental.ServiceDefaults;
using Dental.ServiceDefaults.Health;
using Dental.ServiceDefaults.Resilience;

namespace Dental.Gateway;

public static class GatewayExtensions
{
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GatewayOptions>(GatewayOptions.Section);
        // Only registered, active clinics get through; the services check again.
        builder.AddClinicRegistry();
        // Refusals are recorded here, per caller and minute; the services record what they answer.
        builder.AddRefusalAudit();
        // Backends are named (http://upload, http://catalog) and resolved by service discovery: the Aspire
        // app host injects services__{name}__http__0; in Azure, Container Apps' internal DNS names answer.
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
        builder.Services.AddHttpClient(BackendHealth.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(3));
        builder.Services.AddHttpClient(PublicOpenApi.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHealthChecks().AddReadinessProbe("backends", BackendHealth.ProbeAsync);
        builder.Services.AddDevelopmentTokens(builder.Environment);
        builder.Services.AddGatewayCors();
        builder.Services.AddTrustedProxies();
        builder.Services.AddPerUserRateLimiting();
        builder.Services.AddWebClient();
        return builder;
    }

    /// <summary>Gateway-only middleware; runs before the shared defaults (auth) so every answer carries ids and headers, and the web client's files need no token.</summary>
    public static WebApplication UseGatewayEdge(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseRefusalAudit();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseCors();
        app.UseWebClient();
        return app;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapDevelopmentTokens();
        app.MapWebClientConfig();
        app.MapApiReference();
        app.MapReverseProxy(proxy => proxy.UseMiddleware<RouteBodyLimitMiddleware>());
        return app;
    }
}

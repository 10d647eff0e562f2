using Dental.ServiceDefaults;
using Dental.ServiceDefaults.Health;

namespace Dental.Gateway;

public static class GatewayExtensions
{
    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GatewayOptions>(GatewayOptions.Section);
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        builder.Services.AddHttpClient(BackendHealth.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(3));
        builder.Services.AddHealthChecks().AddReadinessProbe("backends", BackendHealth.ProbeAsync);
        builder.Services.AddDevelopmentTokens(builder.Environment);
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapDevelopmentTokens();
        app.MapReverseProxy();
        return app;
    }
}

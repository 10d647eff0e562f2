using Microsoft.Extensions.Options;

namespace Dental.Gateway;

internal static class GatewayCors
{
    /// <summary>The web client's origins (Gateway:CorsOrigins) may call the API with a bearer token; no cookies are used.</summary>
    public static IServiceCollection AddGatewayCors(this IServiceCollection services)
    {
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<GatewayOptions>>((cors, gateway) => cors.AddDefaultPolicy(policy => policy
                .WithOrigins(gateway.Value.CorsOrigins)
                .WithMethods("GET", "POST", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", RequestIdMiddleware.Header, "If-None-Match", "Range")
                .WithExposedHeaders("Location", "ETag", "Retry-After", RequestIdMiddleware.Header, "traceresponse")
                .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return services;
    }
}

using Dental.Contracts.Api;
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
                .WithMethods("GET", "HEAD", "POST", "PATCH", "DELETE")
                .WithHeaders(["Authorization", "Content-Type", "Idempotency-Key", RequestIdMiddleware.Header, "If-None-Match", "If-Match", "Range",
                    .. TusProtocol.RequestHeaders])
                .WithExposedHeaders(["Location", "ETag", "Retry-After", RequestIdMiddleware.Header, "traceresponse", .. TusProtocol.ResponseHeaders])
                .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        return services;
    }
}

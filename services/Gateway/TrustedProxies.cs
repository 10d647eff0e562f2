using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Dental.Gateway;

/// <summary>
/// Behind Azure's ingress every connection comes from the ingress, so the client's address (which keys the
/// rate limit of anonymous callers) is read from X-Forwarded-For, but only when the connection comes from a
/// network listed in Gateway:TrustedProxyNetworks (the last hop only); anyone else's header is ignored.
/// With no network listed the header is never read: the forwarded-headers middleware would otherwise trust
/// every sender when its known proxies and networks are both empty.
/// </summary>
internal static class TrustedProxies
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<GatewayOptions>>((forwarded, gateway) =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                forwarded.ForwardLimit = 1;
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                foreach (var network in gateway.Value.TrustedProxyNetworks)
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
                }
            });
        return services;
    }

    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.TrustedProxyNetworks.Length > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Dental.Bench;

/// <summary>
/// The reference the gateway is measured against: the same YARP package forwarding the same route to the same backend,
/// with nothing else (no authentication, rate limiter, request ids, security headers, telemetry or logging). Runs as its
/// own process: <c>Dental.Bench bare-proxy {port} {backend address}</c>.
/// </summary>
internal static class BareProxy
{
    public static async Task<int> RunAsync(int port, string backend)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "catalog", ClusterId = "catalog", Match = new RouteMatch { Path = "/api/v1/patients/{**rest}" } }],
            [new ClusterConfig { ClusterId = "catalog", Destinations = new Dictionary<string, DestinationConfig> { ["primary"] = new() { Address = backend } } }]);
        var app = builder.Build();
        app.MapGet("/health/ready", () => Results.Ok());
        app.MapReverseProxy();
        await app.RunAsync();
        return 0;
    }
}

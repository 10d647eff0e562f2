using Dental.ServiceDefaults.Health;
using Yarp.ReverseProxy;

namespace Dental.Gateway;

/// <summary>The gateway is ready only when every backend it routes to reports ready.</summary>
internal static class BackendHealth
{
    public const string HttpClientName = "backend-health";

    public static async Task ProbeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var proxyState = services.GetRequiredService<IProxyStateLookup>();
        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
        var probes = proxyState.GetClusters()
            .SelectMany(cluster => cluster.Destinations.Values.Select(d => (cluster.ClusterId, d.Model.Config.Address)))
            .Select(async target =>
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(new Uri(target.Address), HealthEndpoints.ReadyPath), cancellationToken);
                    return response.IsSuccessStatusCode ? null : $"{target.ClusterId}: {(int)response.StatusCode}";
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    return $"{target.ClusterId}: unreachable";
                }
            });
        var failures = (await Task.WhenAll(probes)).OfType<string>().ToList();
        if (failures.Count > 0)
        {
            throw new InvalidOperationException("Backends not ready: " + string.Join(", ", failures));
        }
    }
}

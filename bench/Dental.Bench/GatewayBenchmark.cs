using System.Diagnostics;
using System.Net.Http.Headers;
using Dental.Testing;

namespace Dental.Bench;

/// <summary>A small authenticated GET through the gateway (real process) versus straight to the backend, same load loop, same run.</summary>
public static class GatewayBenchmark
{
    private const int Requests = 4000;
    private const int Concurrency = 16;

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        await using var upload = new EchoBackend("upload");
        await using var catalog = new EchoBackend("catalog");
        await upload.StartAsync();
        await catalog.StartAsync();
        // Production-like: RS256 tokens from an OpenID Connect provider on this machine (the development key is refused outside Development).
        await using var provider = new FakeOidcProvider("bench", "api://dental", "bench-user", "clinician");
        await provider.StartAsync();
        var settings = new Dictionary<string, string?>((await TestScope.CreateAsync()).ClinicRegistrySettings())
        {
            ["Auth:Authority"] = provider.Authority,
            ["ReverseProxy:Clusters:upload:Destinations:primary:Address"] = upload.Address,
            ["ReverseProxy:Clusters:catalog:Destinations:primary:Address"] = catalog.Address,
            ["Gateway:RequestsPerWindow"] = "1000000",
        };
        var port = FreePort.Next();
        using var gateway = await ServiceProcess.StartAsync("Gateway", port, settings, environment: "Production");
        const string path = "/api/v1/patients/p-1/images";

        var direct = await LoadAsync(catalog.Address + path, provider.AccessToken());
        var proxied = await LoadAsync($"http://127.0.0.1:{port}{path}", provider.AccessToken());
        return
        [
            new Figure("small GET through gateway: requests/s", proxied.PerSecond, "/s", "direct to backend", direct.PerSecond),
            new Figure("small GET through gateway: p50", proxied.P50, "ms", "direct to backend", direct.P50),
            new Figure("small GET through gateway: p99", proxied.P99, "ms", "direct to backend", direct.P99),
            new Figure("gateway added latency at p50", proxied.P50 - direct.P50, "ms"),
        ];
    }

    private static async Task<(double PerSecond, double P50, double P99)> LoadAsync(string url, string token)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        for (var i = 0; i < 200; i++)
        {
            (await http.GetAsync(url)).EnsureSuccessStatusCode();
        }

        var latencies = new double[Requests];
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, Requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(url, ct);
            response.EnsureSuccessStatusCode();
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToList();
        return (Requests / seconds, Figure.Percentile(sorted, 50), Figure.Percentile(sorted, 99));
    }
}

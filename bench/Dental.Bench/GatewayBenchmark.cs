using Dental.Testing;

namespace Dental.Bench;

/// <summary>
/// A small authenticated GET three ways, in one run: straight to the backend, through a bare YARP proxy (same package, same
/// route, nothing else) and through the gateway (Production, RS256 tokens from a local OpenID Connect provider), each as its
/// own process, loaded by a client process of its own at concurrency 1, 16 and 64, each after a timed warm-up.
/// </summary>
public static class GatewayBenchmark
{
    private static readonly (int Concurrency, int Requests)[] Loads = [(1, 2_000), (16, 8_000), (64, 8_000)];

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        await using var upload = new EchoBackend("upload");
        await using var catalog = new EchoBackend("catalog");
        await upload.StartAsync();
        await catalog.StartAsync();
        // Production-like: RS256 tokens from an OpenID Connect provider on this machine (the development key is refused outside Development).
        await using var provider = new FakeOidcProvider("bench", "api://dental", "bench-user", "clinician");
        await provider.StartAsync();
        var settings = new Dictionary<string, string?>((await TestScope.CreateAsync()).GatewaySettings(upload.Address, catalog.Address))
        {
            ["Auth:Authority"] = provider.Authority,
            ["Gateway:RequestsPerWindow"] = "1000000",
        };
        var gatewayPort = FreePort.Next();
        using var gateway = await ServiceProcess.StartAsync("Gateway", gatewayPort, settings, environment: "Production");
        var barePort = FreePort.Next();
        using var bare = SelfProcess.Start("bare YARP", ["bare-proxy", barePort.ToString(System.Globalization.CultureInfo.InvariantCulture), catalog.Address]);
        await bare.WaitUntilAsync(() => ServiceProcess.IsReadyAsync($"http://127.0.0.1:{barePort}"), TimeSpan.FromSeconds(30));

        const string path = "/api/v1/patients/p-1/images";
        var token = provider.AccessToken();
        var figures = new List<Figure>();
        foreach (var (concurrency, requests) in Loads)
        {
            // The backends run in this process.
            var direct = await HttpLoad.MeasureAsync(catalog.Address + path, token, requests, concurrency, Environment.ProcessId);
            var yarp = await HttpLoad.MeasureAsync($"http://127.0.0.1:{barePort}{path}", token, requests, concurrency, bare.ProcessId);
            var ours = await HttpLoad.MeasureAsync($"http://127.0.0.1:{gatewayPort}{path}", token, requests, concurrency, gateway.ProcessId);
            Console.WriteLine($"c{concurrency}: direct {direct}, bare YARP {yarp}, gateway {ours}");
            figures.Add(new Figure($"gateway GET c{concurrency}: requests/s", ours.PerSecond, "/s", "bare YARP (aim ≥ 0.8)", yarp.PerSecond));
            figures.Add(new Figure($"gateway GET c{concurrency}: added p50", ours.P50 - direct.P50, "ms", "bare YARP's added p50 (aim ≤ 1.5)", yarp.P50 - direct.P50));
            figures.Add(new Figure($"gateway GET c{concurrency}: p99", ours.P99, "ms", "bare YARP", yarp.P99));
            figures.Add(new Figure($"gateway GET c{concurrency}: CPU per request", ours.ServerCpuMicroseconds, "µs", "bare YARP", yarp.ServerCpuMicroseconds));
            figures.Add(new Figure($"bare YARP GET c{concurrency}: requests/s", yarp.PerSecond, "/s", "direct to backend", direct.PerSecond));
        }

        return figures;
    }
}

using System.Globalization;
using Dental.Testing;

namespace Dental.Bench;

/// <summary>
/// A small authenticated GET three ways, in one run: straight to the backend, through a bare YARP proxy (same package, same
/// route, nothing else) and through the gateway (Production, RS256 tokens from a local OpenID Connect provider), each as its
/// own process, loaded by a client process of its own at concurrency 1, 16 and 64, each after a warm-up that lasts until the
/// server's tiered JIT is quiet. The two proxies take turns for three rounds and each figure is the median
/// of its rounds: on this shared machine one round of either could land on a busy second.
/// </summary>
public static class GatewayBenchmark
{
    /// <summary>Bare YARP (0) and the gateway (1) take turns, three rounds each.</summary>
    private static readonly int[] Turns = [0, 1, 0, 1, 0, 1];

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        await using var stage = await GatewayStage.StartAsync();
        var (gateway, gatewayUrl) = await stage.StartGatewayAsync();
        using var _ = gateway;
        var barePort = FreePort.Next();
        using var bare = SelfProcess.Start("bare YARP", ["bare-proxy", barePort.ToString(CultureInfo.InvariantCulture), stage.Catalog.Address]);
        await bare.WaitUntilAsync(() => ServiceProcess.IsReadyAsync($"http://127.0.0.1:{barePort}"), TimeSpan.FromSeconds(30));

        var token = stage.Token;
        var figures = new List<Figure>();
        HttpLoad.Target[] proxies = [new("bare YARP", $"http://127.0.0.1:{barePort}{GatewayStage.Path}", bare.ProcessId), new("gateway", gatewayUrl, gateway.ProcessId)];
        foreach (var (concurrency, requests) in GatewayStage.Loads)
        {
            // The backends run in this process.
            var direct = await HttpLoad.MeasureAsync(stage.Catalog.Address + GatewayStage.Path, token, requests, concurrency, Environment.ProcessId);
            Console.WriteLine($"c{concurrency}: direct {direct}");
            var medians = await HttpLoad.TakeTurnsAsync(proxies, Turns, token, requests, concurrency);
            var (yarp, ours) = (medians[0], medians[1]);
            figures.Add(new Figure($"gateway GET c{concurrency}: requests/s", ours.PerSecond, "/s", "bare YARP (aim ≥ 0.8)", yarp.PerSecond));
            figures.Add(new Figure($"gateway GET c{concurrency}: added p50", ours.P50 - direct.P50, "ms", "bare YARP's added p50 (aim ≤ 1.5)", yarp.P50 - direct.P50));
            figures.Add(new Figure($"gateway GET c{concurrency}: p99", ours.P99, "ms", "bare YARP", yarp.P99));
            figures.Add(new Figure($"gateway GET c{concurrency}: CPU per request", ours.ServerCpuMicroseconds, "µs", "bare YARP", yarp.ServerCpuMicroseconds));
            figures.Add(new Figure($"bare YARP GET c{concurrency}: requests/s", yarp.PerSecond, "/s", "direct to backend", direct.PerSecond));
        }

        return figures;
    }
}

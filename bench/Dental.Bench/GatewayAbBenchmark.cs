namespace Dental.Bench;

/// <summary>
/// One change to the gateway measured against the gateway without it, in one run: <c>gateway-ab [--baseline DIR] [KEY=VALUE ...]</c>.
/// A is the gateway built in DIR (another checkout's Release output; this one's by default), B is this checkout's gateway
/// with the settings given (configuration keys such as <c>Logging:LogLevel:Default</c>, or environment variables such as
/// <c>DOTNET_TieredPGO</c>). Both run side by side and take turns A B B A for each load, so a drift in the machine's load
/// falls on both; each figure is the median of its rounds.
/// </summary>
public static class GatewayAbBenchmark
{
    private static readonly int[] Turns = [0, 1, 1, 0, 0, 1, 1, 0];

    public static async Task<IReadOnlyList<Figure>> RunAsync(IReadOnlyList<string> args)
    {
        string? baseline = null;
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--baseline" && i + 1 < args.Count)
            {
                baseline = Path.GetFullPath(args[++i]);
            }
            else if (args[i].Split('=', 2) is [var key, var value])
            {
                settings[key] = value;
            }
            else
            {
                throw new ArgumentException($"Not a KEY=VALUE setting or --baseline DIR: {args[i]}");
            }
        }

        await using var stage = await GatewayStage.StartAsync();
        var (a, aUrl) = await stage.StartGatewayAsync(directory: baseline);
        using var _ = a;
        var (b, bUrl) = await stage.StartGatewayAsync(settings);
        using var __ = b;
        Console.WriteLine($"A: {baseline ?? "this checkout"}; B: this checkout with {(settings.Count == 0 ? "no settings" : string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}")))}");

        var token = stage.Token;
        var figures = new List<Figure>();
        HttpLoad.Target[] gateways = [new("A", aUrl, a.ProcessId), new("B", bUrl, b.ProcessId)];
        foreach (var (concurrency, requests) in GatewayStage.Loads)
        {
            var medians = await HttpLoad.TakeTurnsAsync(gateways, Turns, token, requests, concurrency);
            var (ra, rb) = (medians[0], medians[1]);
            figures.Add(new Figure($"B GET c{concurrency}: requests/s", rb.PerSecond, "/s", "A", ra.PerSecond));
            figures.Add(new Figure($"B GET c{concurrency}: p50", rb.P50, "ms", "A", ra.P50));
            figures.Add(new Figure($"B GET c{concurrency}: CPU per request", rb.ServerCpuMicroseconds, "µs", "A", ra.ServerCpuMicroseconds));
        }

        return figures;
    }
}

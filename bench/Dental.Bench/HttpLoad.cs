using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Dental.Testing;

namespace Dental.Bench;

/// <summary>
/// A closed-loop load of GETs of one URL with a bearer token, run in a process of its own so that the client's CPU is not
/// counted against the proxy it measures: <c>Dental.Bench http-load {url} {token} {requests} {concurrency} {server pid}</c>
/// prints one JSON line with the rate, the latency percentiles and the server's CPU time per measured request.
/// </summary>
internal static class HttpLoad
{
    /// <summary>
    /// Long enough for the server's tiered JIT to finish: with a few hundred requests a large pipeline was still compiling
    /// (a quarter of the gateway's samples were in the JIT), which measured start-up, not the steady state.
    /// </summary>
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public sealed record Result(double PerSecond, double P50, double P99, double ServerCpuMicroseconds);

    public static async Task<int> RunAsync(string url, string token, int requests, int concurrency, int serverPid)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Warm-up: connections, the signing keys, then tier-1 code on the other side.
        var warmUpUntil = Stopwatch.GetTimestamp() + (long)(WarmUp.TotalSeconds * Stopwatch.Frequency);
        await Parallel.ForAsync(0, concurrency, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (_, ct) =>
        {
            while (Stopwatch.GetTimestamp() < warmUpUntil)
            {
                using var response = await http.GetAsync(url, ct);
                response.EnsureSuccessStatusCode();
            }
        });

        using var server = Process.GetProcessById(serverPid);
        var cpuBefore = server.TotalProcessorTime;
        var latencies = new double[requests];
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, requests, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, ct);
            response.EnsureSuccessStatusCode();
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        });
        var seconds = clock.Elapsed.TotalSeconds;
        server.Refresh();
        var cpu = server.TotalProcessorTime - cpuBefore;
        Array.Sort(latencies);
        Console.WriteLine(JsonSerializer.Serialize(new Result(
            requests / seconds, Figure.Percentile(latencies, 50), Figure.Percentile(latencies, 99), cpu.TotalMicroseconds / requests)));
        return 0;
    }

    /// <summary>Runs the load in a new process of this benchmark against the server process <paramref name="serverPid"/> and reads its result.</summary>
    public static async Task<Result> MeasureAsync(string url, string token, int requests, int concurrency, int serverPid)
    {
        using var load = SelfProcess.Start("http load", ["http-load", url, token, requests.ToString(CultureInfo.InvariantCulture), concurrency.ToString(CultureInfo.InvariantCulture), serverPid.ToString(CultureInfo.InvariantCulture)]);
        var exit = await load.WaitForExitAsync(TimeSpan.FromMinutes(5));
        var line = load.Output.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (exit != 0 || line is null)
        {
            throw new InvalidOperationException($"The load process failed (exit {exit}):\n{load.Output}");
        }

        return JsonSerializer.Deserialize<Result>(line)!;
    }
}

/// <summary>This benchmark started again as another process, in one of its helper modes.</summary>
internal static class SelfProcess
{
    public static TestProcess Start(string name, IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath!;
        // Under "dotnet run" or "dotnet Dental.Bench.dll" the host is dotnet itself: give it the assembly.
        var prefix = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [typeof(SelfProcess).Assembly.Location] : Array.Empty<string>();
        return new TestProcess(name, host, [.. prefix, .. arguments], AppContext.BaseDirectory);
    }
}

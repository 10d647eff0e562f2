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
    /// The least warm-up: connections, the signing keys and the first tier-1 code on the other side.
    /// </summary>
    private static readonly TimeSpan MinWarmUp = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Then the warm-up goes on until the server's tiered JIT is quiet (under <see cref="QuietJitPerSecond"/> of compile
    /// time in each of two successive seconds), at most this long. A fixed warm-up measured start-up, not the steady state:
    /// after 5 s at concurrency 1 the gateway's compilation thread still used more CPU than its request threads, for about
    /// 12 s more (perf, 2026-12-03), and each new concurrency tiered up more code.
    /// </summary>
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan QuietJitPerSecond = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// The runtime's tiered-compilation thread (".NET Tiered Compilation Worker", cut to 15 characters by the kernel). Its CPU
    /// is read from /proc: the runtime gives no out-of-process figure without an event pipe session, which would cost the
    /// measured process CPU itself.
    /// </summary>
    private const string JitThread = ".NET Tiered Com";

    public sealed record Result(double PerSecond, double P50, double P99, double ServerCpuMicroseconds, double WarmUpSeconds)
    {
        /// <summary>Each figure's median over <paramref name="rounds"/>.</summary>
        public static Result Median(IReadOnlyList<Result> rounds)
        {
            static double Of(IEnumerable<double> values)
            {
                var sorted = values.Order().ToList();
                return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
            }

            return new Result(Of(rounds.Select(r => r.PerSecond)), Of(rounds.Select(r => r.P50)), Of(rounds.Select(r => r.P99)),
                Of(rounds.Select(r => r.ServerCpuMicroseconds)), Of(rounds.Select(r => r.WarmUpSeconds)));
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{PerSecond:F0}/s p50 {P50:F3} ms p99 {P99:F3} ms CPU {ServerCpuMicroseconds:F0} µs/request (warm-up {WarmUpSeconds:F0} s)");
    }

    public static async Task<int> RunAsync(string url, string token, int requests, int concurrency, int serverPid)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var warmUp = Stopwatch.StartNew();
        using var warm = new CancellationTokenSource();
        var load = Parallel.ForAsync(0, concurrency, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (_, ct) =>
        {
            while (!warm.IsCancellationRequested)
            {
                using var response = await http.GetAsync(url, ct);
                response.EnsureSuccessStatusCode();
            }
        });
        await WaitForQuietJitAsync(serverPid, load, warmUp);
        await warm.CancelAsync();
        await load;
        var warmUpSeconds = warmUp.Elapsed.TotalSeconds;

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
            requests / seconds, Figure.Percentile(latencies, 50), Figure.Percentile(latencies, 99), cpu.TotalMicroseconds / requests, warmUpSeconds)));
        return 0;
    }

    private static async Task WaitForQuietJitAsync(int serverPid, Task load, Stopwatch started)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var last = ProcessTree.ThreadsCpuTime(serverPid, JitThread);
        var quietSeconds = 0;
        while (quietSeconds < 2 || started.Elapsed < MinWarmUp)
        {
            await tick.WaitForNextTickAsync();
            if (load.IsCompleted || started.Elapsed > MaxWarmUp)
            {
                return; // a failed load surfaces when awaited; past the limit, the measurement says how long it warmed up
            }

            var now = ProcessTree.ThreadsCpuTime(serverPid, JitThread);
            // A smaller reading means the idle compilation thread exited (and maybe a new one started): no steady count.
            quietSeconds = now >= last && now - last < QuietJitPerSecond ? quietSeconds + 1 : 0;
            last = now;
        }
    }

    /// <summary>A server loaded in turns with others: what it is called in the output, the URL loaded and its process.</summary>
    public sealed record Target(string Name, string Url, int ProcessId);

    /// <summary>
    /// Loads the targets one at a time in the order of <paramref name="turns"/> (indexes into <paramref name="targets"/>), so a
    /// drift in the machine's load falls on each of them; prints every round and returns each target's median.
    /// </summary>
    public static async Task<Result[]> TakeTurnsAsync(IReadOnlyList<Target> targets, IEnumerable<int> turns, string token, int requests, int concurrency)
    {
        var rounds = targets.Select(_ => new List<Result>()).ToArray();
        foreach (var turn in turns)
        {
            rounds[turn].Add(await MeasureAsync(targets[turn].Url, token, requests, concurrency, targets[turn].ProcessId));
        }

        for (var i = 0; i < targets.Count; i++)
        {
            Console.WriteLine($"c{concurrency}: {targets[i].Name} rounds {string.Join(", ", rounds[i])}");
        }

        return [.. rounds.Select(Result.Median)];
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

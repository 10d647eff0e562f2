using System.Globalization;
using Dental.Bench;

// Benchmarks print figures; they are run by hand (README: "Benchmarks"), never by the test suite.
var suites = new Dictionary<string, Func<Task<IReadOnlyList<Figure>>>>
{
    ["messaging"] = MessagingBenchmark.RunAsync,
    ["upload"] = UploadBenchmark.RunAsync,
    ["resumable"] = ResumableUploadBenchmark.RunAsync,
    ["thumbnails"] = ThumbnailBenchmark.RunAsync,
    ["gateway"] = GatewayBenchmark.RunAsync,
    ["catalog"] = CatalogBenchmark.RunAsync,
    ["summary"] = SummaryBenchmark.RunAsync,
    ["backup"] = BackupBenchmark.RunAsync,
    ["latency"] = LoadGenerator.For(200, 4),
    ["audit"] = AuditBenchmark.RunAsync,
    ["data-rights"] = DataRightsBenchmark.RunAsync,
    ["cost"] = CostBenchmark.RunAsync,
};

// Helper modes, started by the gateway benchmark as processes of their own.
if (args is ["bare-proxy", var proxyPort, var backend])
{
    return await BareProxy.RunAsync(int.Parse(proxyPort, CultureInfo.InvariantCulture), backend);
}

if (args is ["http-load", var url, var token, var requests, var loadConcurrency, var serverPid])
{
    return await HttpLoad.RunAsync(url, token, int.Parse(requests, CultureInfo.InvariantCulture), int.Parse(loadConcurrency, CultureInfo.InvariantCulture), int.Parse(serverPid, CultureInfo.InvariantCulture));
}

// "gateway-ab [--baseline DIR] [KEY=VALUE ...]": one change to the gateway against the gateway without it (not part of "all").
if (args is ["gateway-ab", .. var abArguments])
{
    Figure.PrintTable(await GatewayAbBenchmark.RunAsync(abArguments));
    return 0;
}

// "load N C": the load generator on its own, with any size and concurrency (not part of "all").
if (args is ["load", var n, var c] && int.TryParse(n, out var count) && int.TryParse(c, out var concurrency))
{
    Figure.PrintTable(await LoadGenerator.For(count, concurrency)());
    return 0;
}

var selected = args.Length == 0 || args[0] == "all" ? suites.Keys.ToList() : args.ToList();
var unknown = selected.Except(suites.Keys).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"Unknown benchmark(s): {string.Join(", ", unknown)}. Choose from: all, {string.Join(", ", suites.Keys)}");
    return 2;
}

var figures = new List<Figure>();
foreach (var name in selected)
{
    Console.WriteLine($"== {name}");
    figures.AddRange(await suites[name]());
}

Figure.PrintTable(figures);
return 0;

using Dental.Bench;

// Benchmarks print figures; they are run by hand (README: "Benchmarks"), never by the test suite.
var suites = new Dictionary<string, Func<Task<IReadOnlyList<Figure>>>>
{
    ["messaging"] = MessagingBenchmark.RunAsync,
    ["upload"] = UploadBenchmark.RunAsync,
    ["thumbnails"] = ThumbnailBenchmark.RunAsync,
    ["gateway"] = GatewayBenchmark.RunAsync,
};

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

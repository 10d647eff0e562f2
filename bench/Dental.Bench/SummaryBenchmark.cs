using System.Diagnostics;
using System.Net.Http.Headers;
using Dental.Contracts;
using Dental.AzureClients;
using Dental.Catalog.Store;
using Dental.Testing;
using Microsoft.Azure.Cosmos;

namespace Dental.Bench;

/// <summary>
/// The dental chart (GET …/summary) for patients with 10, 1 000 and 10 000 images on the Cosmos-protocol emulator,
/// through the Catalog service (a real process). The chart is now counted from the image documents on every
/// request; the design it replaced kept a running summary document and read it with one point read, so that
/// read (of a document of the same size, in the same run) is the reference: "before" is that point read,
/// "after" is the counting query, both straight against the emulator, and the service's answer beside them.
/// </summary>
public static class SummaryBenchmark
{
    private static readonly int[] Sizes = [10, 1_000, 10_000];

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        using var catalog = await RunningCatalog.StartAsync();
        var container = catalog.Container;
        var store = new DocumentStore(container, new DocumentSizeGuard(DocumentSizeGuard.DefaultBudgetBytes));

        var figures = new List<Figure>();
        foreach (var size in Sizes)
        {
            var patient = $"summary-{size}";
            await SeedAsync(container, patient, size);
            var samples = size >= 10_000 ? 20 : 100;
            var key = new PatientKey(TestTokens.Clinic, patient);
            var chart = await store.ChartAsync(key, CancellationToken.None);
            if (chart.Total != size)
            {
                throw new InvalidOperationException($"The chart counts {chart.Total} images, {size} were seeded.");
            }

            // The replaced design's read: one point read of a summary document holding this chart.
            await container.UpsertItemAsync(new { id = "summary", partitionKey = key.Path, docType = "summary", counts = chart.Teeth, total = chart.Total }, new PartitionKey(key.Path));
            var before = await TimeAsync(samples, () => container.ReadItemStreamAsync("summary", new PartitionKey(key.Path)));
            var after = await TimeAsync(samples, () => store.ChartAsync(key, CancellationToken.None));
            await container.DeleteItemStreamAsync("summary", new PartitionKey(key.Path));
            var service = await CatalogBenchmark.MeasureAsync(catalog.Http, () => $"/api/v1/patients/{patient}/summary", samples);
            figures.Add(new Figure($"summary, {size} images: counted (p50)", after, "ms", "point read of a summary doc (p50)", before));
            figures.Add(new Figure($"summary, {size} images: GET through the service p50", service.P50, "ms"));
            figures.Add(new Figure($"summary, {size} images: GET through the service p95", service.P95, "ms"));
        }

        return figures;
    }

    private static async Task SeedAsync(Container container, string patient, int count)
    {
        var clock = Stopwatch.StartNew();
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await CatalogBenchmark.SeedImageAsync(container, patient, i, start.AddMinutes(i), ct));
        Console.WriteLine($"seeded {count} image documents for one patient in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<double> TimeAsync<T>(int samples, Func<Task<T>> action)
    {
        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = await action();
            (result as IDisposable)?.Dispose();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        latencies.Sort();
        return Figure.Percentile(latencies, 50);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Dental.AzureClients;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Testing;
using Microsoft.Azure.Cosmos;

namespace Dental.Bench;

/// <summary>
/// Catalog reads on the Cosmos-protocol emulator through the Catalog service (a real process), with three patients of
/// 100, 1 000 and 10 000 images: one list page (100 images) of each, whose request charge should not grow with the
/// patient's size (a single-partition query on an index), and a point read of one image. The emulator scans the whole
/// container for a query, so its latency is reported but says nothing about Cosmos DB.
/// </summary>
public static class CatalogBenchmark
{
    private static readonly int[] PatientSizes = [100, 1_000, 10_000];
    private const int Samples = 100;

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        using var catalog = await RunningCatalog.StartAsync();
        var images = await SeedAsync(catalog.Container);
        var http = catalog.Http;
        var random = new Random(1);
        var figures = new List<Figure>();
        var smallest = $"bench-{PatientSizes[0]}";
        var reference = await MeasureAsync(http, () => $"/api/v1/patients/{smallest}/images?pageSize=100");
        foreach (var size in PatientSizes)
        {
            var list = size == PatientSizes[0] ? reference : await MeasureAsync(http, () => $"/api/v1/patients/bench-{size}/images?pageSize=100");
            figures.Add(new Figure($"catalog: list page of 100, patient of {size:N0}: charge", list.Charge, "RU", $"patient of {PatientSizes[0]} (flat: 1.0)", reference.Charge));
            figures.Add(new Figure($"catalog: list page of 100, patient of {size:N0}: p50 (emulator)", list.P50, "ms", $"patient of {PatientSizes[0]}", reference.P50));
        }

        var read = await MeasureAsync(http, () => images[random.Next(images.Count)] is var i ? $"/api/v1/patients/{i.Patient}/images/{i.Id}" : "");
        figures.Add(new Figure("catalog: point read of one image, p50", read.P50, "ms"));
        figures.Add(new Figure("catalog: point read of one image, p95", read.P95, "ms"));
        return figures;
    }

    private static async Task<List<(string Patient, Guid Id)>> SeedAsync(Container container)
    {
        var clock = Stopwatch.StartNew();
        var images = new List<(string, Guid)>();
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var all = PatientSizes.SelectMany(size => Enumerable.Range(0, size).Select(i => (Patient: $"bench-{size}", Index: i))).ToList();
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, ct) =>
        {
            var id = await SeedImageAsync(container, item.Patient, item.Index, start.AddHours(item.Index), ct);
            lock (images)
            {
                images.Add((item.Patient, id));
            }
        });
        Console.WriteLine($"seeded {images.Count} image documents in {clock.Elapsed.TotalSeconds:F1} s");
        return images;
    }

    /// <summary>Writes the catalog document of one synthetic 4000×3000 image (index picks its tooth and type); returns its id.</summary>
    internal static async Task<Guid> SeedImageAsync(Container container, string patientId, int index, DateTimeOffset uploadedAt, CancellationToken cancellationToken)
    {
        var patient = new PatientKey(TestTokens.Clinic, patientId);
        var id = Guid.CreateVersion7();
        var tooth = $"{(index % 4) + 1}{(index % 8) + 1}";
        var type = ImageType.All[index % ImageType.All.Count];
        var uploaded = new ImageUploaded(id, patient.ClinicId, patient.PatientId, tooth, ToothNotation.Fdi, type, BlobNames.Original(patient, tooth, type, id, "jpg"),
            5_000_000, "image/jpeg", new string('a', 64), 4000, 3000, "dr-who", uploadedAt, null);
        await container.CreateItemAsync(ImageDocumentReducer.Apply(null, uploaded, new ImageText("scan.jpg", null)), new PartitionKey(patient.Path), cancellationToken: cancellationToken);
        return id;
    }

    internal static async Task<(double P50, double P95, double Charge)> MeasureAsync(HttpClient http, Func<string> path, int samples = Samples)
    {
        var latencies = new List<double>();
        var charge = 0.0;
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path());
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (response.Headers.TryGetValues("x-ms-request-charge", out var values))
            {
                charge = double.Parse(values.First(), CultureInfo.InvariantCulture);
            }
        }

        latencies.Sort();
        return (Figure.Percentile(latencies, 50), Figure.Percentile(latencies, 95), charge);
    }
}

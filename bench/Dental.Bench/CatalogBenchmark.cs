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
/// Catalog read latency on the Cosmos-protocol emulator with 10 000 images over 100 patients: listing a
/// patient's 100 images (one page) and reading one image, through the Catalog service (a real process).
/// </summary>
public static class CatalogBenchmark
{
    private const int Patients = 100;
    private const int ImagesPerPatient = 100;
    private const int Samples = 300;

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        using var catalog = await RunningCatalog.StartAsync();
        var images = await SeedAsync(catalog.Container);
        var http = catalog.Http;
        var random = new Random(1);
        var list = await MeasureAsync(http, () => $"/api/v1/patients/{images[random.Next(images.Count)].Patient}/images?pageSize=100");
        var read = await MeasureAsync(http, () => images[random.Next(images.Count)] is var i ? $"/api/v1/patients/{i.Patient}/images/{i.Id}" : "");
        return
        [
            new Figure("catalog: list 100 images of a patient, p50", list.P50, "ms"),
            new Figure("catalog: list 100 images of a patient, p95", list.P95, "ms"),
            new Figure("catalog: list request charge (as reported)", list.Charge, "RU"),
            new Figure("catalog: point read of one image, p50", read.P50, "ms"),
            new Figure("catalog: point read of one image, p95", read.P95, "ms"),
        ];
    }

    private static async Task<List<(string Patient, Guid Id)>> SeedAsync(Container container)
    {
        var clock = Stopwatch.StartNew();
        var images = new List<(string, Guid)>();
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var all = Enumerable.Range(0, Patients).SelectMany(p => Enumerable.Range(0, ImagesPerPatient).Select(i => (Patient: $"bench-{p:D3}", Index: i))).ToList();
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

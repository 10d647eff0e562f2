using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dental.Contracts.Api;
using Dental.Testing;
using Dental.Upload;

namespace Dental.Bench;

/// <summary>
/// What the audit trail costs a caller: GET metadata and upload latency through the gateway of two platforms started side
/// by side from the app host, one with the audit trail on and one with it off, measured in alternating rounds (so the
/// machine's noise falls on both alike) in one run.
/// </summary>
public static class AuditBenchmark
{
    private const int Rounds = 6;
    private const int ReadsPerRound = 300;
    private const int UploadsPerRound = 30;
    private const int Concurrency = 4;

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        Console.WriteLine("Starting two platforms (audit on, audit off)...");
        await using var audited = await AspirePlatform.StartAsync();
        await using var unaudited = await AspirePlatform.StartAsync(new Dictionary<string, string?> { ["Audit:Enabled"] = "false" });
        var on = await TargetAsync(audited);
        var off = await TargetAsync(unaudited);

        var reads = (On: new List<double>(), Off: new List<double>());
        var uploads = (On: new List<double>(), Off: new List<double>());
        for (var round = 0; round < Rounds; round++)
        {
            // Alternate which goes first, so neither always meets a warmer or a busier machine.
            foreach (var audit in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var target = audit ? on : off;
                (audit ? reads.On : reads.Off).AddRange(await MeasureAsync(ReadsPerRound, _ => target.Client.GetAsync(target.ImagePath)));
                (audit ? uploads.On : uploads.Off).AddRange(await MeasureAsync(UploadsPerRound, i =>
                    target.Client.PostAsync(target.UploadPath, UploadForm.For("21", "clinical", Png(round, i, audit)).Build())));
            }
        }

        var records = (await audited.Scope.AuditRecordsAsync()).Count;
        Console.WriteLine($"audit records stored by the audited platform: {records}; by the unaudited one: {(await unaudited.Scope.AuditRecordsAsync()).Count}");
        return
        [
            .. Compare("GET metadata", reads.On, reads.Off),
            .. Compare("upload (48×32 PNG)", uploads.On, uploads.Off),
        ];
    }

    private static IEnumerable<Figure> Compare(string what, List<double> on, List<double> off)
    {
        on.Sort();
        off.Sort();
        yield return new Figure($"{what}, audit on: p50", Figure.Percentile(on, 50), "ms", "audit off", Figure.Percentile(off, 50));
        yield return new Figure($"{what}, audit on: p95", Figure.Percentile(on, 95), "ms", "audit off (aim: ratio ≤ 1.3)", Figure.Percentile(off, 95));
    }

    private sealed record Target(HttpClient Client, string ImagePath, string UploadPath);

    /// <summary>A patient with one catalogued image on the platform: its metadata is what the reads ask for.</summary>
    private static async Task<Target> TargetAsync(AspirePlatform platform)
    {
        var client = platform.Client();
        var patient = Guid.NewGuid().ToString();
        var upload = $"/api/v1/patients/{patient}/images";
        var created = await client.PostAsync(upload, UploadForm.For("11", "clinical", Png(-1, 0, true)).Build());
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<UploadResponse>(JsonSerializerOptions.Web))!.Items.Single().Id;
        var image = $"{upload}/{id}";
        await Eventually.ReturnsAsync(async () => (await client.GetAsync(image)).IsSuccessStatusCode, ok => ok, "the image to be catalogued", TimeSpan.FromMinutes(2));
        return new Target(client, image, upload);
    }

    private static async Task<List<double>> MeasureAsync(int count, Func<int, Task<HttpResponseMessage>> send)
    {
        var latencies = new double[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, _) =>
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await send(i);
            response.EnsureSuccessStatusCode();
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        });
        return [.. latencies];
    }

    /// <summary>A small PNG, different for every upload (none is deduplicated).</summary>
    private static byte[] Png(int round, int i, bool audit) =>
        TestImages.Png(48, 32, sample: (x, y, c) => (x + (y * 3) + (c * 50) + (i * 7) + (round * 13) + (audit ? 101 : 0)) % 256);
}

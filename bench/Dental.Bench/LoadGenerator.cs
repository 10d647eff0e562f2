using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Dental.Bench.Tracing;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Testing;
using Dental.Thumbnailer;
using Dental.Thumbnailer.Rendering;
using Dental.Upload;
using Microsoft.Extensions.Options;

namespace Dental.Bench;

/// <summary>
/// Uploads N realistic images (1–10 MB JPEG photos and 16-bit PNG X-rays) with concurrency C through the
/// gateway of the platform started through its app host, waits until every one is processed, then
/// checks that accepted uploads = originals in Blob = catalog documents = images with all three previews.
/// The services export their traces to the bench: when each image became ready, where its time went
/// (<see cref="SpanBreakdown"/>), and the CPU each process spent per image and while idle.
/// </summary>
public static class LoadGenerator
{
    public static Func<Task<IReadOnlyList<Figure>>> For(int count, int concurrency) => () => RunAsync(count, concurrency);

    private static async Task<IReadOnlyList<Figure>> RunAsync(int count, int concurrency)
    {
        Console.WriteLine($"Preparing images, starting the platform ({count} uploads, concurrency {concurrency})...");
        var pool = ImagePool();
        var rendererRate = RendererRate(pool);
        Console.WriteLine($"renderer alone, 2 workers, small+medium of the pool: {rendererRate:F1} images/s");
        await using var traces = await OtlpTraceReceiver.StartAsync();
        await using var platform = await AspirePlatform.StartAsync(traces.ServiceSettings);
        var patients = Enumerable.Range(0, Math.Max(1, count / 20)).Select(_ => Guid.NewGuid().ToString()).ToArray();
        // One client (signed-in user) per patient, as several clinics' apps would be.
        var clients = patients.Select((_, k) => platform.Client(subject: $"clinic-{k}")).ToArray();
        var uploadMs = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>();
        // Each upload starts a trace of its own (the bench sends its traceparent): when the 201 came, by trace id.
        var accepted = new ConcurrentDictionary<string, long>();
        var kinds = new ConcurrentDictionary<string, string>();
        var cpuBefore = await CpuTimesAsync(platform);
        var started = UnixNanos();
        var clock = Stopwatch.StartNew();

        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var (bytes, type, kind) = pool[i % pool.Count];
            var patient = i % patients.Length;
            var start = Stopwatch.GetTimestamp();
            var traceId = ActivityTraceId.CreateRandom().ToHexString();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/patients/{patients[patient]}/images")
                {
                    Content = UploadForm.For(Tooth(i), type, Unique(bytes, i, type)).Build(),
                };
                request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
                using var response = await clients[patient].SendAsync(request, ct);
                uploadMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    errors.AddOrUpdate($"upload {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    return;
                }

                // Upload->ready is measured from the 201: how long a stored image waits for its previews.
                accepted[traceId] = UnixNanos();
                kinds[traceId] = kind;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                errors.AddOrUpdate("upload " + ex.GetType().Name, 1, (_, n) => n + 1);
            }
        });
        var uploadSeconds = clock.Elapsed.TotalSeconds;
        // Ready is when the catalog finished marking the image ready (or failed), read from each upload's trace: nothing
        // polls the platform while it works, so the measuring does not load the machine it measures.
        var done = await Eventually.ReturnsAsync(
            () => Task.FromResult(SpanBreakdown.CatalogDone(traces.Spans, accepted.Keys)),
            found => found.Count == accepted.Count,
            "the catalog to have finished every accepted image (from the exported traces)",
            TimeSpan.FromMinutes(15),
            TimeSpan.FromSeconds(1));
        var readyMs = done.ToDictionary(d => d.Key, d => (d.Value.At - accepted[d.Key]) / 1e6);
        var failed = done.Count(d => d.Value.Failed);
        if (failed > 0)
        {
            errors["processing failed"] = failed;
        }

        var totalSeconds = (done.Values.Max(d => d.At) - started) / 1e9;
        var spans = await ExportedSpansAsync(traces, accepted.Keys);
        // CPU from the first upload until the last large rendition is done too (its trace is complete).
        var cpuAfter = await CpuTimesAsync(platform);
        var cpuSeconds = clock.Elapsed.TotalSeconds;
        // What the platform burns doing nothing (idle queue polls, health probes, telemetry) once the work is done and warm.
        var idle = Stopwatch.StartNew();
        var spansBeforeIdle = traces.Spans.Count;
        await Task.Delay(TimeSpan.FromSeconds(10));
        var idleSpans = (traces.Spans.Count - spansBeforeIdle) / idle.Elapsed.TotalSeconds;
        var idleCpu = (await CpuTimesAsync(platform)).ToDictionary(c => c.Key, c => (c.Value - cpuAfter[c.Key]).TotalMilliseconds / idle.Elapsed.TotalSeconds);
        var (originals, documents, withPreviews) = await CountAsync(platform, patients);
        var (auditRecords, auditAppends) = await AuditWritesAsync(platform);
        var rss = new Dictionary<string, double>();
        foreach (var service in AspirePlatform.Services)
        {
            rss[service] = await platform.PeakResidentBytesAsync(service) / 1024.0 / 1024.0;
        }

        Console.WriteLine($"accepted {accepted.Count}, originals {originals}, documents {documents}, with all three previews {withPreviews}; errors: {(errors.IsEmpty ? "none" : string.Join(", ", errors.Select(e => $"{e.Key}×{e.Value}")))}");

        var upload = uploadMs.Order().ToList();
        var ready = readyMs.Values.Order().ToList();
        var readyP95 = Figure.Percentile(ready, 95);
        var label = $"load {count}@{concurrency}";
        var figures = new List<Figure>
        {
            new($"{label}: accepted uploads", accepted.Count, "", "requested", count),
            new($"{label}: originals in Blob", originals, "", "accepted", accepted.Count),
            new($"{label}: catalog documents", documents, "", "accepted", accepted.Count),
            new($"{label}: images with all three previews", withPreviews, "", "accepted", accepted.Count),
            new($"{label}: errors", errors.Values.Sum(), ""),
            new($"{label}: upload throughput", accepted.Count / uploadSeconds, "/s"),
            new($"{label}: end-to-end throughput", accepted.Count / totalSeconds, "/s", "renderer alone, 2 workers (aim ≥ 0.5)", rendererRate),
            new($"{label}: upload latency p50", Figure.Percentile(upload, 50), "ms"),
            new($"{label}: upload latency p95", Figure.Percentile(upload, 95), "ms"),
            new($"{label}: upload->ready p50", Figure.Percentile(ready, 50), "ms"),
            concurrency <= 4
                ? new($"{label}: upload->ready p95", readyP95, "ms", "aim at concurrency 4 (ratio ≤ 1)", 1000)
                : new($"{label}: upload->ready p95 (saturated: uploads outpace processing)", readyP95, "ms"),
        };
        // Which originals make the tail: each kind's own p95 beside the whole run's.
        figures.AddRange(readyMs.GroupBy(r => kinds[r.Key]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new Figure(
            $"{label}: upload->ready p95, {g.Key}", Figure.Percentile([.. g.Select(r => r.Value).Order()], 95), "ms", "the run's p95", readyP95)));
        figures.Add(new($"{label}: audit records written", auditRecords, "", "accepted uploads", accepted.Count));
        figures.Add(new($"{label}: audit write throughput", auditRecords / totalSeconds, "/s"));
        figures.Add(new($"{label}: audit records per append (group commit)", auditRecords / (double)Math.Max(1, auditAppends), ""));
        figures.AddRange(rss.Select(r => new Figure($"{label}: peak RSS {r.Key}", r.Value, "MiB")));
        figures.AddRange(cpuAfter.Select(c => new Figure(
            $"{label}: CPU per image, {c.Key}", (c.Value - cpuBefore[c.Key]).TotalMilliseconds / Math.Max(1, accepted.Count), "ms", "the machine's CPU per image (2 cores × the run)", 2 * 1000 * cpuSeconds / Math.Max(1, accepted.Count))));
        figures.Add(new($"{label}: spans exported while idle, every service", idleSpans, "/s"));
        figures.AddRange(idleCpu.Select(c => new Figure($"{label}: CPU while idle, {c.Key}", c.Value, "ms/s", "the machine's (2 cores)", 2000)));
        figures.AddRange(SpanBreakdown.Print(spans, accepted.Keys, label));
        return figures;
    }

    /// <summary>
    /// The spans exported so far, once the services' exporters (flushing every second) have sent the last of the uploads'
    /// traces (only theirs are counted: background work exports spans of its own).
    /// </summary>
    private static async Task<IReadOnlyList<ExportedSpan>> ExportedSpansAsync(OtlpTraceReceiver traces, ICollection<string> uploads)
    {
        var count = -1;
        await Eventually.ReturnsAsync(
            async () =>
            {
                var before = count;
                await Task.Delay(TimeSpan.FromSeconds(3));
                count = SpanBreakdown.Traces(traces.Spans, uploads).Sum(trace => trace.Value.Count);
                return count == before;
            },
            unchanged => unchanged,
            "the services' exporters to have sent every span of the uploads",
            TimeSpan.FromMinutes(1));
        return traces.Spans;
    }

    private static async Task<(int Originals, int Documents, int WithPreviews)> CountAsync(AspirePlatform platform, string[] patients)
    {
        int originals = 0, documents = 0, withPreviews = 0;
        var admin = platform.Client("admin");
        foreach (var patient in patients)
        {
            originals += (await Blobs(platform, platform.Scope.OriginalsContainer, patient)).Count;
            string? token = null;
            do
            {
                var page = await admin.GetFromJsonAsync<Dental.Catalog.Api.ImagePage>(
                    $"/api/v1/patients/{patient}/images?pageSize=100&includeDeleted=true" + (token is null ? "" : $"&continuationToken={token}"), JsonSerializerOptions.Web);
                documents += page!.Items.Count;
                withPreviews += page.Items.Count(i => i.Previews is { } previews && PreviewSize.All.All(previews.ContainsKey));
                token = page.ContinuationToken;
            }
            while (token is not null);
        }

        return (originals, documents, withPreviews);
    }

    /// <summary>Every audit record the run left (uploads, the poller's reads, the counting) and the appends that wrote them (an append blob's committed blocks).</summary>
    private static async Task<(int Records, int Appends)> AuditWritesAsync(AspirePlatform platform)
    {
        var container = new Azure.Storage.Blobs.BlobServiceClient(platform.Scope.StorageConnectionString).GetBlobContainerClient(platform.Scope.AuditContainer);
        var appends = 0;
        await foreach (var blob in container.GetBlobsAsync())
        {
            appends += (await container.GetBlobClient(blob.Name).GetPropertiesAsync()).Value.BlobCommittedBlockCount;
        }

        return ((await platform.Scope.AuditLinesAsync()).Count, appends);
    }

    private static async Task<List<string>> Blobs(AspirePlatform platform, string container, string patient)
    {
        var names = new List<string>();
        await foreach (var blob in new Azure.Storage.Blobs.BlobServiceClient(platform.Scope.StorageConnectionString).GetBlobContainerClient(container).GetBlobsAsync(new GetBlobsOptions { Prefix = $"{TestTokens.Clinic}/{patient}/" }))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>What the Thumbnailer's renderer makes of the same pool on its own (small and medium, 2 workers, in this process): the pipeline's ceiling.</summary>
    private static double RendererRate(List<(byte[] Bytes, string Type, string Name)> pool)
    {
        var options = Options.Create(new ThumbnailerOptions());
        var renderer = new PreviewRenderer(options, new HeifDecoder(options), new DicomDecoder());
        renderer.Render(pool[0].Bytes, withLarge: false);
        var count = pool.Count * 4;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => renderer.Render(pool[i % pool.Count].Bytes, withLarge: false));
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A few realistic originals of 1 to 10 MB: intraoral photos (JPEG) and a 12-bit-in-16 X-ray (PNG).</summary>
    internal static List<(byte[] Bytes, string Type, string Name)> ImagePool()
    {
        static byte[] Photo(int width, int height, int quality) => JpegFixtures.Encode(
            TestImages.Png(width, height, sample: (x, y, c) => ((x / 3) + (y / 2) + (c * 70) + ((x * y) % 29)) % 256), Math.Max(width, height), quality);
        var pool = new List<(byte[], string, string)>
        {
            (Photo(1600, 1200, 90), "before", "JPEG 1600×1200"),
            (Photo(2400, 1800, 90), "after", "JPEG 2400×1800"),
            (Photo(3200, 2400, 90), "clinical", "JPEG 3200×2400"),
            (Photo(4000, 3000, 90), "before", "JPEG 4000×3000"),
            (TestImages.Png(2400, 1800, TestImages.PngColor.Gray, 16, (x, y, _) => ((x * 7) + (y * 3) + ((x * y) % 97)) % 4096), "xray", "16-bit PNG 2400×1800"),
        };
        Console.WriteLine("image pool: " + string.Join(", ", pool.Select(p => $"{p.Item3} ({p.Item2}) {p.Item1.Length / 1024.0 / 1024.0:F1} MB")));
        return pool;
    }

    /// <summary>Makes every upload's bytes distinct (so none is deduplicated) with a JPEG comment or a PNG text chunk.</summary>
    internal static byte[] Unique(byte[] image, int i, string type)
    {
        var marker = System.Text.Encoding.ASCII.GetBytes($"load-{i:D8}");
        if (type == "xray")
        {
            // Before IEND (the last 12 bytes): a tEXt chunk; its CRC is not checked by decoders that skip ancillary chunks.
            var chunk = new byte[12 + marker.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(chunk, marker.Length);
            "tEXt"u8.CopyTo(chunk.AsSpan(4));
            marker.CopyTo(chunk, 8);
            var crc = System.IO.Hashing.Crc32.HashToUInt32(chunk.AsSpan(4, 4 + marker.Length));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + marker.Length), crc);
            return [.. image[..^12], .. chunk, .. image[^12..]];
        }

        byte[] comment = [0xFF, 0xFE, 0, (byte)(marker.Length + 2), .. marker];
        return [.. image[..2], .. comment, .. image[2..]];
    }

    /// <summary>CPU used so far by each process of the platform (the services and both emulators).</summary>
    private static async Task<Dictionary<string, TimeSpan>> CpuTimesAsync(AspirePlatform platform)
    {
        var cpu = new Dictionary<string, TimeSpan>();
        foreach (var resource in AspirePlatform.Services.Append("azurite").Append("cosmos"))
        {
            cpu[resource] = await platform.CpuTimeAsync(resource);
        }

        return cpu;
    }

    private static long UnixNanos() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    private static string Tooth(int i) => $"{(i % 4) + 1}{(i % 8) + 1}";
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
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
/// checks that accepted uploads = originals in Blob = catalog documents = images with both previews.
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
        await using var platform = await AspirePlatform.StartAsync();
        var patients = Enumerable.Range(0, Math.Max(1, count / 20)).Select(_ => Guid.NewGuid().ToString()).ToArray();
        // One client (signed-in user) per patient, as several clinics' apps would be.
        var clients = patients.Select((_, k) => platform.Client(subject: $"clinic-{k}")).ToArray();
        var uploadMs = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>();
        var pending = new ConcurrentDictionary<Guid, (int Patient, long AcceptedAt)>();
        var readyMs = new ConcurrentBag<double>();
        using var stopPolling = new CancellationTokenSource();
        var poller = PollAsync(clients, patients, pending, readyMs, errors, stopPolling.Token);
        var accepted = 0;
        var clock = Stopwatch.StartNew();

        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var (bytes, type) = pool[i % pool.Count];
            var patient = i % patients.Length;
            var start = Stopwatch.GetTimestamp();
            try
            {
                var form = UploadForm.For(Tooth(i), type, Unique(bytes, i, type));
                using var response = await clients[patient].PostAsync($"/api/v1/patients/{patients[patient]}/images", form.Build(), ct);
                uploadMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    errors.AddOrUpdate($"upload {(int)response.StatusCode}", 1, (_, n) => n + 1);
                    return;
                }

                var image = (await response.Content.ReadFromJsonAsync<UploadResponse>(JsonSerializerOptions.Web, ct))!.Items.Single();
                Interlocked.Increment(ref accepted);
                // Upload->ready is measured from the 201: how long a stored image waits for its previews.
                pending[image.Id] = (patient, Stopwatch.GetTimestamp());
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                errors.AddOrUpdate("upload " + ex.GetType().Name, 1, (_, n) => n + 1);
            }
        });
        var uploadSeconds = clock.Elapsed.TotalSeconds;
        await Eventually.ReturnsAsync(() => Task.FromResult(pending.IsEmpty), done => done, "every accepted image to be processed", TimeSpan.FromMinutes(15));
        var totalSeconds = clock.Elapsed.TotalSeconds;
        await stopPolling.CancelAsync();
        await poller;

        var (originals, documents, withPreviews) = await CountAsync(platform, patients);
        var (auditRecords, auditAppends) = await AuditWritesAsync(platform);
        var rss = new Dictionary<string, double>();
        foreach (var service in AspirePlatform.Services)
        {
            rss[service] = await platform.PeakResidentBytesAsync(service) / 1024.0 / 1024.0;
        }

        Console.WriteLine($"accepted {accepted}, originals {originals}, documents {documents}, with both previews {withPreviews}; errors: {(errors.IsEmpty ? "none" : string.Join(", ", errors.Select(e => $"{e.Key}×{e.Value}")))}");

        var upload = uploadMs.Order().ToList();
        var ready = readyMs.Order().ToList();
        var label = $"load {count}@{concurrency}";
        var figures = new List<Figure>
        {
            new($"{label}: accepted uploads", accepted, "", "requested", count),
            new($"{label}: originals in Blob", originals, "", "accepted", accepted),
            new($"{label}: catalog documents", documents, "", "accepted", accepted),
            new($"{label}: images with both previews", withPreviews, "", "accepted", accepted),
            new($"{label}: errors", errors.Values.Sum(), ""),
            new($"{label}: upload throughput", accepted / uploadSeconds, "/s"),
            new($"{label}: end-to-end throughput", accepted / totalSeconds, "/s", "renderer alone, 2 workers (aim ≥ 0.5)", rendererRate),
            new($"{label}: upload latency p50", Figure.Percentile(upload, 50), "ms"),
            new($"{label}: upload latency p95", Figure.Percentile(upload, 95), "ms"),
            new($"{label}: upload->ready p50", Figure.Percentile(ready, 50), "ms"),
            concurrency <= 4
                ? new($"{label}: upload->ready p95", Figure.Percentile(ready, 95), "ms", "target at concurrency 4", 2000)
                : new($"{label}: upload->ready p95 (saturated: uploads outpace processing)", Figure.Percentile(ready, 95), "ms"),
        };
        figures.Add(new($"{label}: audit records written", auditRecords, "", "accepted uploads", accepted));
        figures.Add(new($"{label}: audit write throughput", auditRecords / totalSeconds, "/s"));
        figures.Add(new($"{label}: audit records per append (group commit)", auditRecords / (double)Math.Max(1, auditAppends), ""));
        figures.AddRange(rss.Select(r => new Figure($"{label}: peak RSS {r.Key}", r.Value, "MiB")));
        return figures;
    }

    /// <summary>
    /// Reads each pending image (a point read: the cheapest call the catalog has) one at a time, every
    /// 100 ms at most, and records when it turns ready or failed. One request in flight keeps the
    /// measuring itself from loading the machine it measures.
    /// </summary>
    private static async Task PollAsync(
        HttpClient[] clients, string[] patients, ConcurrentDictionary<Guid, (int Patient, long AcceptedAt)> pending,
        ConcurrentBag<double> readyMs, ConcurrentDictionary<string, int> errors, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var cycle = Stopwatch.StartNew();
            foreach (var (id, (patient, acceptedAt)) in pending.ToArray())
            {
                // 404 until the catalog has the image: keep waiting.
                using var response = await clients[patient].GetAsync($"/api/v1/patients/{patients[patient]}/images/{id}", CancellationToken.None);
                var image = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web, CancellationToken.None) : null;
                if (image?.Status is ImageStatus.Ready or ImageStatus.Failed && pending.TryRemove(id, out _))
                {
                    readyMs.Add(Stopwatch.GetElapsedTime(acceptedAt).TotalMilliseconds);
                    if (image.Status == ImageStatus.Failed)
                    {
                        errors.AddOrUpdate("processing failed", 1, (_, n) => n + 1);
                    }
                }
            }

            var rest = TimeSpan.FromMilliseconds(100) - cycle.Elapsed;
            await Task.Delay(rest > TimeSpan.Zero ? rest : TimeSpan.Zero, CancellationToken.None);
        }
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
                withPreviews += page.Items.Count(i => i.Previews is { } previews && previews.ContainsKey("small") && previews.ContainsKey("medium"));
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
    private static double RendererRate(List<(byte[] Bytes, string Type)> pool)
    {
        var options = Options.Create(new ThumbnailerOptions());
        var renderer = new PreviewRenderer(options, new HeifDecoder(options), new DicomDecoder());
        renderer.Render(pool[0].Bytes);
        var count = pool.Count * 4;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => renderer.Render(pool[i % pool.Count].Bytes));
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>A few realistic originals of 1 to 10 MB: intraoral photos (JPEG) and a 12-bit-in-16 X-ray (PNG).</summary>
    internal static List<(byte[] Bytes, string Type)> ImagePool()
    {
        static byte[] Photo(int width, int height, int quality) => JpegFixtures.Encode(
            TestImages.Png(width, height, sample: (x, y, c) => ((x / 3) + (y / 2) + (c * 70) + ((x * y) % 29)) % 256), Math.Max(width, height), quality);
        var pool = new List<(byte[], string)>
        {
            (Photo(1600, 1200, 90), "before"),
            (Photo(2400, 1800, 90), "after"),
            (Photo(3200, 2400, 90), "clinical"),
            (Photo(4000, 3000, 90), "before"),
            (TestImages.Png(2400, 1800, TestImages.PngColor.Gray, 16, (x, y, _) => ((x * 7) + (y * 3) + ((x * y) % 97)) % 4096), "xray"),
        };
        Console.WriteLine("image pool: " + string.Join(", ", pool.Select(p => $"{p.Item2} {p.Item1.Length / 1024.0 / 1024.0:F1} MB")));
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

    private static string Tooth(int i) => $"{(i % 4) + 1}{(i % 8) + 1}";
}

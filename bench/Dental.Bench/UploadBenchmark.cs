using System.Diagnostics;
using System.Net.Http.Headers;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Dental.Testing;

namespace Dental.Bench;

/// <summary>
/// Upload throughput through the Upload service (a real process) against the same files uploaded
/// directly with the Blob SDK to the same Azurite, and the service's peak memory per file size.
/// </summary>
public static class UploadBenchmark
{
    private const int Concurrency = 4;
    private const int OriginalBlock = 4 * 1024 * 1024;

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var figures = new List<Figure>();
        // 2 MB fits in one block (the service writes it with one request); 5, 50 and 200 MB are staged block by block.
        double? smallestPeakRss = null;
        foreach (var (sizeMb, count) in new[] { (2, 60), (5, 24), (50, 6), (200, 4) })
        {
            var files = Enumerable.Range(0, count).Select(i => TestImages.JpegLike(4000, 3000, sizeMb * 1024 * 1024, seed: (sizeMb * 100) + i)).ToList();
            var totalMb = files.Sum(f => f.Length) / 1024.0 / 1024.0;
            var scope = await TestScope.CreateAsync();

            var direct = new BlobServiceClient(scope.StorageConnectionString).GetBlobContainerClient($"direct-{Guid.NewGuid():N}");
            await direct.CreateAsync();
            var directSeconds = await TimeAsync(files, (file, i) => direct.GetBlobClient($"{i}.jpg").UploadAsync(new BinaryData(file)));
            var stagedSeconds = await TimeAsync(files, (file, i) => StageAndCommitAsync(direct.GetBlockBlobClient($"staged-{i}.jpg"), file));

            var settings = scope.ServiceSettings();
            settings["Upload:MaxFileBytes"] = (256L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var port = FreePort.Next();
            using var service = await ServiceProcess.StartAsync("Upload", port, settings);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician"));
            var idleRss = service.PeakResidentBytes();
            var serviceSeconds = await TimeAsync(files, async (file, i) =>
            {
                using var response = await http.PostAsync($"/api/v1/patients/bench-{i}/images", UploadForm.For("11", "xray", file).Build());
                response.EnsureSuccessStatusCode();
            });
            var peakRss = service.PeakResidentBytes() / 1024.0 / 1024.0;
            smallestPeakRss ??= peakRss;

            figures.Add(new Figure($"upload {sizeMb} MB files: service MB/s", totalMb / serviceSeconds, "MB/s", "Blob SDK direct to Azurite", totalMb / directSeconds));
            figures.Add(new Figure($"upload {sizeMb} MB files: service MB/s", totalMb / serviceSeconds, "MB/s", "Blob SDK staged 4 MB blocks direct", totalMb / stagedSeconds));
            figures.Add(new Figure($"upload {sizeMb} MB files: service peak RSS", peakRss, "MiB", "service idle RSS", idleRss / 1024.0 / 1024.0));
            figures.Add(new Figure($"upload {sizeMb} MB files: service peak RSS", peakRss, "MiB", "with 2 MB files (flat: 1.0)", smallestPeakRss));
        }

        return figures;
    }

    /// <summary>The same block path the service takes (stage, then commit), without the service.</summary>
    private static async Task StageAndCommitAsync(BlockBlobClient blob, byte[] file)
    {
        var ids = new List<string>();
        for (var offset = 0; offset < file.Length; offset += OriginalBlock)
        {
            var id = Convert.ToBase64String(BitConverter.GetBytes(ids.Count));
            ids.Add(id);
            await blob.StageBlockAsync(id, new MemoryStream(file, offset, Math.Min(OriginalBlock, file.Length - offset)));
        }

        await blob.CommitBlockListAsync(ids);
    }

    /// <summary>Seconds to upload every file, four at a time.</summary>
    internal static async Task<double> TimeAsync(List<byte[]> files, Func<byte[], int, Task> upload)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(files.Select((f, i) => (f, i)), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (item, _) => await upload(item.f, item.i));
        return clock.Elapsed.TotalSeconds;
    }
}

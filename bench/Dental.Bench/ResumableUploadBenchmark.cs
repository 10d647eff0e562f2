using System.Globalization;
using System.Net.Http.Headers;
using Dental.Testing;

namespace Dental.Bench;

/// <summary>
/// Resumable (tus) uploads in 5 MB chunks against multipart uploads of the same size, through one Upload service process,
/// and the service's peak memory as the file size grows from 5 to 50 MB.
/// </summary>
public static class ResumableUploadBenchmark
{
    private const int ChunkBytes = 5 * 1024 * 1024;

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var scope = await TestScope.CreateAsync();
        var settings = scope.ServiceSettings();
        settings["Upload:MaxFileBytes"] = (64L * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
        var port = FreePort.Next();
        using var service = await ServiceProcess.StartAsync("Upload", port, settings);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician"));
        var idleRss = service.PeakResidentBytes() / 1024.0 / 1024.0;

        // Smaller files first: the peak is a high-water mark, so each size's figure is the peak up to then.
        var small = Files(5, 8, seed: 1);
        await UploadBenchmark.TimeAsync(small, (file, i) => TusAsync(http, $"bench-small-{i}", file));
        var smallRss = service.PeakResidentBytes() / 1024.0 / 1024.0;
        var large = Files(50, 6, seed: 2);
        var totalMb = large.Sum(f => f.Length) / 1024.0 / 1024.0;
        var tusSeconds = await UploadBenchmark.TimeAsync(large, (file, i) => TusAsync(http, $"bench-tus-{i}", file));
        var largeRss = service.PeakResidentBytes() / 1024.0 / 1024.0;
        var multipartSeconds = await UploadBenchmark.TimeAsync(Files(50, 6, seed: 3), async (file, i) =>
        {
            using var response = await http.PostAsync($"/api/v1/patients/bench-multipart-{i}/images", UploadForm.For("11", "xray", file).Build());
            response.EnsureSuccessStatusCode();
        });

        return
        [
            new Figure("tus 50 MB files, 5 MB chunks: MB/s", totalMb / tusSeconds, "MB/s", "multipart, same files and service", totalMb / multipartSeconds),
            new Figure("tus peak RSS after 5 MB files", smallRss, "MiB", "service idle RSS", idleRss),
            new Figure("tus peak RSS after 50 MB files", largeRss, "MiB", "after 5 MB files", smallRss),
        ];
    }

    private static List<byte[]> Files(int sizeMb, int count, int seed) =>
        [.. Enumerable.Range(0, count).Select(i => TestImages.JpegLike(4000, 3000, sizeMb * 1024 * 1024, seed: (seed * 1000) + i))];

    /// <summary>Creation, then one PATCH per chunk, as a tus client does.</summary>
    private static async Task TusAsync(HttpClient http, string patient, byte[] file)
    {
        using var create = TusRequests.Create(patient, file.Length, TusRequests.Metadata(("tooth", "11"), ("type", "xray")));
        using var created = await http.SendAsync(create);
        created.EnsureSuccessStatusCode();
        var upload = created.Headers.Location!.OriginalString;
        for (var offset = 0; offset < file.Length; offset += ChunkBytes)
        {
            using var patch = TusRequests.Patch(upload, file, offset, Math.Min(ChunkBytes, file.Length - offset));
            using var response = await http.SendAsync(patch);
            response.EnsureSuccessStatusCode();
        }
    }
}

using System.Diagnostics;
using Dental.Testing;
using Dental.Thumbnailer;
using Dental.Thumbnailer.Rendering;
using Microsoft.Extensions.Options;

namespace Dental.Bench;

/// <summary>
/// small+medium previews from 4000×3000 JPEGs: the service's renderer (libvips in-process) with 1 and 2
/// workers, side by side with the vipsthumbnail CLI making the same two sizes from the same files.
/// </summary>
public static class ThumbnailBenchmark
{
    private const int Images = 48;

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("thumb-bench");
        try
        {
            var originals = Enumerable.Range(0, 4).Select(i => JpegFixtures.Photo4000x3000(i)).ToList();
            var files = originals.Select((bytes, i) =>
            {
                var path = Path.Combine(folder.FullName, $"original-{i}.jpg");
                File.WriteAllBytes(path, bytes);
                return path;
            }).ToList();
            var options = Options.Create(new ThumbnailerOptions());
            var renderer = new PreviewRenderer(options, new HeifDecoder(options), new DicomDecoder());
            renderer.Render(originals[0]);

            var figures = new List<Figure>();
            var sizes = new List<RenderedPreview>();
            foreach (var workers in new[] { 1, 2 })
            {
                var rss = Environment.WorkingSet;
                var ours = Time(workers, i =>
                {
                    var result = renderer.Render(originals[i % originals.Count]);
                    lock (sizes)
                    {
                        sizes.AddRange(result.Previews);
                    }
                });
                var cli = await TimeAsync(workers, i => CliAsync(files[i % files.Count], folder.FullName, i));
                figures.Add(new Figure($"thumbnails 4000x3000 -> small+medium, {workers} worker(s): img/s", Images / ours, "/s", $"vipsthumbnail CLI, {workers} process(es)", Images / cli));
                figures.Add(new Figure($"thumbnails, {workers} worker(s): process peak RSS", PeakRssMiB(), "MiB", "working set before", rss / 1024.0 / 1024.0));
            }

            figures.Add(new Figure("preview bytes: small (200 px, Q50) average", sizes.Where(s => s.Size == "small").Average(s => s.Jpeg.Length) / 1024.0, "KiB"));
            figures.Add(new Figure("preview bytes: medium (400 px, Q70) average", sizes.Where(s => s.Size == "medium").Average(s => s.Jpeg.Length) / 1024.0, "KiB"));
            figures.Add(new Figure("original bytes: 4000x3000 JPEG average", originals.Average(o => o.Length) / 1024.0, "KiB"));
            return figures;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static double Time(int workers, Action<int> render)
    {
        var clock = Stopwatch.StartNew();
        Parallel.For(0, Images, new ParallelOptions { MaxDegreeOfParallelism = workers }, render);
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> TimeAsync(int workers, Func<int, Task> render)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, Images, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (i, _) => await render(i));
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task CliAsync(string file, string folder, int i)
    {
        foreach (var (size, quality) in new[] { ("small", 50), ("medium", 70) })
        {
            var edge = size == "small" ? 200 : 400;
            using var process = Process.Start(new ProcessStartInfo("vipsthumbnail", [file, "--size", $"{edge}x{edge}>", "-o", Path.Combine(folder, $"{i}-{size}.jpg[Q={quality},strip]")]))!;
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"vipsthumbnail failed with {process.ExitCode}");
            }
        }
    }

    private static double PeakRssMiB()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }
}

using System.Diagnostics;
using Dental.Testing;
using Dental.Thumbnailer;
using Dental.Thumbnailer.Rendering;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Processing;

namespace Dental.Bench;

/// <summary>
/// The service's renderer (NetVips in-process; HEIC through libheif's decoder, DICOM through GDCM) making small + medium from
/// each format clinics send, with 1 and 2 workers, and the peak RSS each format costs; beside it, on the same JPEGs in the
/// same run, the vipsthumbnail CLI and SixLabors.ImageSharp 2.1.13 making the same two sizes. The large preview is timed apart.
/// </summary>
public static class ThumbnailBenchmark
{
    private const int Images = 48;

    private sealed record Sample(string Name, IReadOnlyList<byte[]> Files, int Count, bool WithReferences = false);

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var folder = Directory.CreateTempSubdirectory("thumb-bench");
        try
        {
            // Two kinds of 12 MP photo: one with pixel-level noise everywhere (6.8 MB, so entropy decoding dominates every
            // engine), and a smooth one (0.9 MB at Q85): phone photos (2–4 MB) lie between.
            var jpegs = Enumerable.Range(0, 4).Select(i => JpegFixtures.Photo4000x3000(i)).ToList();
            var smooth = Enumerable.Range(0, 4).Select(i => JpegFixtures.Encode(
                TestImages.Png(4000, 3000, sample: (x, y, c) => ((x / 7) + (y / 5) + (c * 60) + ((x * y * (i + 3)) % 5)) % 256), 4000, quality: 85)).ToList();
            var xray = TestImages.Png(2400, 1800, TestImages.PngColor.Gray, 16, (x, y, _) => ((x * 4095 / 2399) + ((y * 7) % 200)) % 4096);
            var dicom = DicomFixtures.Create(new DicomSpec { Width = 2400, Height = 1800, Sample = (x, y, _) => ((x * 4095 / 2399) + ((y * 7) % 200)) % 4096 });
            Sample[] samples =
            [
                new("JPEG 4000x3000 (noisy)", jpegs, Images, WithReferences: true),
                new("JPEG 4000x3000 (smooth)", smooth, Images, WithReferences: true),
                new("16-bit X-ray PNG 2400x1800", [xray], Images),
                new("HEIC 4000x3000", [HeifFixtures.Heic(TestImages.Png(4000, 3000, sample: (x, y, c) => ((x / 7) + (y / 5) + (c * 60) + ((x * y) % 23)) % 256))], 8),
                new("DICOM 16-bit 2400x1800, explicit LE", [DicomFixtures.Transcode(dicom, DicomFixtures.ExplicitLittleEndian)], Images),
                new("DICOM 16-bit 2400x1800, JPEG-LS", [DicomFixtures.Transcode(dicom, DicomFixtures.JpegLs)], 24),
            ];

            var options = Options.Create(new ThumbnailerOptions());
            var renderer = new PreviewRenderer(options, new HeifDecoder(options), new DicomDecoder());
            var figures = new List<Figure>();
            var sizes = new List<RenderedPreview>();
            foreach (var sample in samples)
            {
                renderer.Render(sample.Files[0], withLarge: true);
                var before = ResetPeakRss();
                foreach (var workers in new[] { 1, 2 })
                {
                    var seconds = Time(sample.Count, workers, i =>
                    {
                        var result = renderer.Render(sample.Files[i % sample.Files.Count], withLarge: false);
                        lock (sizes)
                        {
                            sizes.AddRange(result.Previews);
                        }
                    });
                    figures.Add(new Figure($"{sample.Name} -> small+medium, {workers} worker(s): img/s", sample.Count / seconds, "/s"));
                }

                figures.Add(new Figure($"{sample.Name}: peak RSS while rendering", PeakRssMiB(), "MiB", "RSS before", before));
            }

            // What the Thumbnailer does per image: all three previews from one decode, against small+medium alone and against a
            // second decode for the large one (what repair's backfill does).
            foreach (var sample in samples)
            {
                var count = Math.Max(4, sample.Count / 4);
                byte[] Original(int i) => sample.Files[i % sample.Files.Count];
                var oneDecode = Time(count, 1, i => renderer.Render(Original(i), withLarge: true));
                figures.Add(new Figure($"{sample.Name}: small+medium+large, one decode, 1 worker: img/s", count / oneDecode, "/s", "small+medium alone, 1 worker", Rate(figures, sample.Name, 1)));
                var twoDecodes = Time(count, 1, i =>
                {
                    renderer.Render(Original(i), withLarge: false);
                    renderer.RenderLarge(Original(i));
                });
                figures.Add(new Figure($"{sample.Name}: small+medium+large, one decode, 1 worker: img/s", count / oneDecode, "/s", "small+medium, then large from the original", count / twoDecodes));
            }

            // The references on the same JPEGs, last: their allocations do not count in the renderer's peaks above.
            foreach (var sample in samples.Where(s => s.WithReferences))
            {
                var paths = sample.Files.Select((bytes, i) =>
                {
                    var path = Path.Combine(folder.FullName, $"{sample.Files.GetHashCode()}-{i}.jpg");
                    File.WriteAllBytes(path, bytes);
                    return path;
                }).ToList();
                ImageSharp(sample.Files[0]);
                var before = ResetPeakRss();
                foreach (var workers in new[] { 1, 2 })
                {
                    var ours = Rate(figures, sample.Name, workers);
                    var cli = await TimeAsync(Images, workers, i => CliAsync(paths[i % paths.Count], folder.FullName, i));
                    figures.Add(new Figure($"{sample.Name}: ours / vipsthumbnail, {workers} worker(s)", ours, "/s", $"vipsthumbnail CLI, {workers} process(es)", Images / cli));
                    var imageSharp = Time(16, workers, i => ImageSharp(sample.Files[i % sample.Files.Count]));
                    figures.Add(new Figure($"{sample.Name}: ours / ImageSharp, {workers} worker(s)", ours, "/s", $"ImageSharp 2.1.13, {workers} worker(s)", 16 / imageSharp));
                }

                figures.Add(new Figure($"{sample.Name}: ImageSharp 2.1.13 peak RSS", PeakRssMiB(), "MiB", "RSS before", before));
            }

            figures.Add(new Figure("preview bytes: small (200 px, Q50) average, JPEG", sizes.Where(s => s.Size == "small" && s.Width == 200 && s.Height == 150).Average(s => s.Jpeg.Length) / 1024.0, "KiB"));
            figures.Add(new Figure("preview bytes: medium (400 px, Q70) average, JPEG", sizes.Where(s => s.Size == "medium" && s.Width == 400 && s.Height == 300).Average(s => s.Jpeg.Length) / 1024.0, "KiB"));
            figures.Add(new Figure("original bytes: 4000x3000 JPEG (noisy) average", jpegs.Average(o => o.Length) / 1024.0, "KiB"));
            figures.Add(new Figure("original bytes: 4000x3000 JPEG (smooth) average", smooth.Average(o => o.Length) / 1024.0, "KiB"));
            return figures;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static double Rate(List<Figure> figures, string sample, int workers) =>
        figures.First(f => f.Name == $"{sample} -> small+medium, {workers} worker(s): img/s").Value;

    /// <summary>The same two sizes the way the design card's package would make them: decode, resize 400, save, resize 200 from it, save.</summary>
    private static void ImageSharp(byte[] jpeg)
    {
        using var image = Image.Load(jpeg);
        image.Metadata.ExifProfile = null;
        using var medium = image.Clone(c => c.Resize(new ResizeOptions { Size = new Size(400, 400), Mode = ResizeMode.Max }));
        using var small = medium.Clone(c => c.Resize(new ResizeOptions { Size = new Size(200, 200), Mode = ResizeMode.Max }));
        foreach (var (preview, quality) in new[] { (medium, 70), (small, 50) })
        {
            using var output = new MemoryStream();
            preview.SaveAsJpeg(output, new JpegEncoder { Quality = quality });
        }
    }

    private static double Time(int count, int workers, Action<int> render)
    {
        var clock = Stopwatch.StartNew();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers }, render);
        return clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> TimeAsync(int count, int workers, Func<int, Task> render)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers }, async (i, _) => await render(i));
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

    /// <summary>Linux resets a process's peak RSS (VmHWM) to its current RSS when 5 is written to clear_refs; returns that RSS.</summary>
    private static double ResetPeakRss()
    {
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
        return Status("VmRSS:");
    }

    private static double PeakRssMiB() => Status("VmHWM:");

    private static double Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }
}

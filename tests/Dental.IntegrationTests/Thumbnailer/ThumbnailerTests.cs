using System.Diagnostics;
using Azure.Messaging;
using Azure.Storage.Blobs.Models;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Testing;
using Dental.Thumbnailer;
using Dental.Thumbnailer.Rendering;
using Microsoft.Extensions.DependencyInjection;
using NetVips;

namespace Dental.IntegrationTests.Thumbnailer;

public sealed class ThumbnailerFixture : ImageServiceFixture<ThumbnailerOptions>
{
    public async Task<ImageUploaded> StoreAsync(byte[] bytes, string type = "clinical", string extension = "jpg")
    {
        var patient = new PatientKey(TestTokens.Clinic, Guid.NewGuid().ToString());
        var imageId = Guid.CreateVersion7();
        var name = BlobNames.Original(patient, "11", type, imageId, extension);
        await Originals.GetBlobClient(name).UploadAsync(new BinaryData(bytes));
        return new ImageUploaded(imageId, patient.ClinicId, patient.PatientId, "11", "fdi", type, name, bytes.Length, "image/jpeg", "hash", 0, 0, "dr-who", DateTimeOffset.UtcNow, null);
    }

    public async Task DeliverLargeAsync(LargePreviewRequested request)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LargePreviewHandler>()
            .HandleAsync(request, new CloudEvent("test", LargePreviewRequested.EventType, null), CancellationToken.None);
    }

    public async Task DeliverOrphanedAsync(LargePreviewOrphaned orphan)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LargePreviewOrphanedHandler>()
            .HandleAsync(orphan, new CloudEvent("test", LargePreviewOrphaned.EventType, null), CancellationToken.None);
    }

    public async Task DeliverAsync(ImageUploaded image)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ImageUploadedHandler>()
            .HandleAsync(image, new CloudEvent("test", ImageUploaded.EventType, null), CancellationToken.None);
    }

    private readonly Dictionary<string, List<CloudEvent>> _published = [];

    /// <summary>
    /// The events the thumbnailer published about <paramref name="image"/>, as a subscription (by default the catalog's) receives
    /// them. Nothing else consumes that queue here, so it is drained into a list kept for the class: a peek sees only the first
    /// 32 messages, which the class's earlier tests fill.
    /// </summary>
    public async Task<List<CloudEvent>> PublishedAboutAsync(ImageUploaded image, string subscription = "catalog", string topic = Topics.ImageResults)
    {
        var queue = Scope.Queue(subscription, topic);
        if (!_published.TryGetValue(queue.Name, out var events))
        {
            _published[queue.Name] = events = [];
        }

        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value is { Length: > 0 } batch)
        {
            foreach (var message in batch)
            {
                events.Add(CloudEvent.Parse(message.Body)!);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return [.. events.Where(e => e.Subject?.EndsWith(image.ImageId.ToString("D"), StringComparison.Ordinal) == true)];
    }

    public async Task<byte[]> PreviewAsync(ImageUploaded image, string size) =>
        (await Previews.GetBlobClient(BlobNames.Preview(image.Patient, image.Tooth, image.Type, image.ImageId, size)).DownloadContentAsync()).Value.Content.ToArray();

    public async Task<int> PreviewCountAsync(ImageUploaded image)
    {
        var count = 0;
        await foreach (var _ in Previews.GetBlobsAsync(new GetBlobsOptions { Prefix = BlobNames.PatientPrefix(image.Patient) }))
        {
            count++;
        }

        return count;
    }
}

public class ThumbnailerTests(ThumbnailerFixture fixture) : IClassFixture<ThumbnailerFixture>
{
    private static PreviewsReady ReadyOf(List<CloudEvent> events) =>
        Assert.Single(events, e => e.Type == PreviewsReady.EventType).DataAs<PreviewsReady>();

    [Fact]
    public async Task A_4000x3000_photo_gets_small_and_medium_previews_that_fit_their_boxes()
    {
        var image = await fixture.StoreAsync(JpegFixtures.Photo4000x3000());

        await fixture.DeliverAsync(image);

        var ready = ReadyOf(await fixture.PublishedAboutAsync(image));
        Assert.Equal((4000, 3000), (ready.OriginalWidth, ready.OriginalHeight));
        Assert.Equal((200, 150), (ready.Previews["small"].Width, ready.Previews["small"].Height));
        Assert.Equal((400, 300), (ready.Previews["medium"].Width, ready.Previews["medium"].Height));
        var small = VipsProbe.Inspect(await fixture.PreviewAsync(image, "small"));
        var medium = await fixture.PreviewAsync(image, "medium");
        Assert.Equal((200, 150, 3), (small.Width, small.Height, small.Bands));
        Assert.Equal(ready.Previews["medium"].SizeBytes, medium.Length);
        Assert.True(ready.Previews["small"].SizeBytes < medium.Length);
        Assert.Empty(await fixture.PublishedAboutAsync(image, "thumbnailer", Topics.Images));
    }

    [Fact]
    public async Task The_large_viewing_preview_is_written_and_announced_with_small_and_medium()
    {
        var image = await fixture.StoreAsync(JpegFixtures.Photo4000x3000(seed: 4));

        await fixture.DeliverAsync(image);

        var ready = ReadyOf(await fixture.PublishedAboutAsync(image));
        Assert.Equal(["large", "medium", "small"], ready.Previews.Keys.Order());
        Assert.Equal((1600, 1200), (ready.Previews["large"].Width, ready.Previews["large"].Height));
        Assert.Equal(image.PreviewName(PreviewSize.Large), ready.Previews["large"].BlobName);
        var large = await fixture.PreviewAsync(image, "large");
        Assert.Equal(ready.Previews["large"].SizeBytes, large.Length);
        var facts = VipsProbe.Inspect(large);
        Assert.Equal((1600, 1200, 3), (facts.Width, facts.Height, facts.Bands));
        Assert.True(large.Length > (await fixture.PreviewAsync(image, "medium")).Length);
    }

    [Fact]
    public async Task A_large_preview_asked_for_an_erased_image_renders_nothing()
    {
        var image = await fixture.StoreAsync(JpegFixtures.Encode(TestImages.Png(800, 600), 800));
        await fixture.Originals.GetBlobClient(image.BlobName).DeleteAsync();

        await fixture.DeliverLargeAsync(LargePreviewRequested.For(image));

        Assert.Empty(await fixture.PublishedAboutAsync(image));
        Assert.Equal(0, await fixture.PreviewCountAsync(image));
    }

    [Fact]
    public async Task A_backfilled_large_preview_names_its_original_and_is_taken_back_once_the_catalog_finds_it_orphaned_and_the_original_is_gone()
    {
        var image = await fixture.StoreAsync(JpegFixtures.Encode(TestImages.Png(800, 600), 800));
        await fixture.DeliverLargeAsync(LargePreviewRequested.For(image));
        // Not asked of storage here: the event names the original it came from, for the Catalog to judge.
        var ready = Assert.Single(await fixture.PublishedAboutAsync(image)).DataAs<LargePreviewReady>();
        Assert.Equal(image.BlobName, ready.OriginalBlobName);
        Assert.Equal(1, await fixture.PreviewCountAsync(image));

        // The image moved (or was purged) after its original was read for the backfill.
        await fixture.Originals.GetBlobClient(image.BlobName).DeleteAsync();
        await fixture.DeliverOrphanedAsync(LargePreviewOrphaned.Of(ready));

        Assert.Equal(0, await fixture.PreviewCountAsync(image));
    }

    [Fact]
    public async Task A_large_preview_said_to_be_orphaned_stays_while_its_original_is_at_the_name_it_was_rendered_from()
    {
        var image = await fixture.StoreAsync(JpegFixtures.Encode(TestImages.Png(800, 600), 800));
        await fixture.DeliverLargeAsync(LargePreviewRequested.For(image));
        var ready = Assert.Single(await fixture.PublishedAboutAsync(image)).DataAs<LargePreviewReady>();

        await fixture.DeliverOrphanedAsync(LargePreviewOrphaned.Of(ready));

        Assert.Equal(1, await fixture.PreviewCountAsync(image));
    }

    public static TheoryData<string> LargeSources => ["JPEG", "16-bit PNG", "DICOM"];

    [Theory]
    [MemberData(nameof(LargeSources))]
    public void The_ready_render_makes_the_large_preview_from_the_same_decode_byte_for_byte_the_one_repair_renders_from_the_original(string kind)
    {
        var renderer = fixture.Factory.Services.GetRequiredService<PreviewRenderer>();
        var original = kind switch
        {
            "JPEG" => JpegFixtures.Photo4000x3000(seed: 7),
            "16-bit PNG" => TestImages.Png(2400, 1800, TestImages.PngColor.Gray, 16, (x, y, _) => ((x * 3) + y) % 4096),
            _ => DicomFixtures.Create(new DicomSpec { Width = 2400, Height = 1800, Sample = (x, y, _) => ((x * 3) + y) % 4096 }),
        };

        var ready = renderer.Render(original, withLarge: true);
        var large = ready.Previews.Single(p => p.Size == "large");

        Assert.Equal(["large", "medium", "small"], ready.Previews.Select(p => p.Size).Order());
        Assert.Equal((1600, 1200), (large.Width, large.Height));
        Assert.Equal(renderer.RenderLarge(original).Jpeg, large.Jpeg);
        var medium = VipsProbe.Inspect(ready.Previews.Single(p => p.Size == "medium").Jpeg);
        var mediumAlone = VipsProbe.Inspect(renderer.Render(original, withLarge: false).Previews.Single(p => p.Size == "medium").Jpeg);
        Assert.Equal((mediumAlone.Width, mediumAlone.Height, mediumAlone.Bands), (medium.Width, medium.Height, medium.Bands));
        // An X-ray's stretch takes its minimum and maximum from the 1600-px pixels, nearer the original's than 400 px.
        Assert.InRange(medium.Mean, mediumAlone.Mean - 8, mediumAlone.Mean + 8);
    }

    [Fact]
    public async Task A_16_bit_greyscale_xray_is_stretched_to_a_visible_range()
    {
        // A 12-bit sensor's values in a 16-bit PNG: at most 4095 of 65535, nearly black if merely shifted down.
        var png = TestImages.Png(600, 400, TestImages.PngColor.Gray, 16, (x, y, _) => (x * 4095 / 599 * 3 / 4) + ((y % 40) * 20));
        var image = await fixture.StoreAsync(png, "xray", "png");

        await fixture.DeliverAsync(image);

        var facts = VipsProbe.Inspect(await fixture.PreviewAsync(image, "medium"));
        Assert.Equal((400, 267), (facts.Width, facts.Height));
        Assert.InRange(facts.Mean, 80, 180);
    }

    [Theory]
    [InlineData("heic")]
    [InlineData("avif")]
    public async Task Phone_photos_in_heic_and_avif_get_jpeg_previews_of_their_upright_size(string format)
    {
        var png = TestImages.Png(640, 480, sample: (x, y, c) => ((x / 4) + (y / 3) + (c * 80)) % 256);
        var bytes = format == "heic" ? HeifFixtures.Heic(png) : HeifFixtures.Avif(png);
        var image = await fixture.StoreAsync(bytes, extension: format);

        await fixture.DeliverAsync(image);

        var ready = ReadyOf(await fixture.PublishedAboutAsync(image));
        Assert.Equal((640, 480), (ready.OriginalWidth, ready.OriginalHeight));
        Assert.Equal((400, 300), (ready.Previews["medium"].Width, ready.Previews["medium"].Height));
        var small = await fixture.PreviewAsync(image, "small");
        Assert.Equal([0xFF, 0xD8], small[..2]);
        var facts = VipsProbe.Inspect(small);
        Assert.Equal((200, 150, 3), (facts.Width, facts.Height, facts.Bands));
        // The picture survives the round trip: its mean stays where the source's is, not black, not white.
        Assert.InRange(facts.Mean, 60, 200);
    }

    [Theory]
    [InlineData("heic")]
    [InlineData("avif")]
    public async Task A_truncated_heic_or_avif_is_rejected_with_a_reason(string format)
    {
        var png = TestImages.Png(640, 480, sample: (x, y, c) => (x + y + c) % 256);
        var bytes = format == "heic" ? HeifFixtures.Heic(png) : HeifFixtures.Avif(png);
        var image = await fixture.StoreAsync(bytes[..(bytes.Length * 2 / 3)], extension: format);

        await fixture.DeliverAsync(image);

        var rejected = Assert.Single(await fixture.PublishedAboutAsync(image)).DataAs<ImageRejected>();
        Assert.Equal(RejectionReason.Corrupt, rejected.Reason);
        Assert.False(string.IsNullOrWhiteSpace(rejected.Detail));
        Assert.Equal(0, await fixture.PreviewCountAsync(image));
    }

    [Fact]
    public async Task Transparency_is_flattened_onto_white()
    {
        var png = TestImages.Png(300, 300, TestImages.PngColor.Rgba, sample: (x, _, c) => c == 3 ? (x < 150 ? 0 : 255) : 30);
        var image = await fixture.StoreAsync(png, extension: "png");

        await fixture.DeliverAsync(image);

        var facts = VipsProbe.Inspect(await fixture.PreviewAsync(image, "small"));
        Assert.Equal(3, facts.Bands);
        Assert.All(facts.TopLeft, v => Assert.InRange(v, 245, 255));
    }

    [Fact]
    public async Task Exif_orientation_is_applied_and_no_metadata_survives()
    {
        var photo = JpegFixtures.Encode(TestImages.Png(600, 400), 600);
        var withExif = JpegFixtures.WithExif(photo, orientation: 6);
        Assert.Contains((byte)0xE1, JpegFixtures.ApplicationMarkers(withExif));
        var image = await fixture.StoreAsync(withExif);

        await fixture.DeliverAsync(image);

        var ready = ReadyOf(await fixture.PublishedAboutAsync(image));
        // Rotated to portrait: 600×400 shown as 400×600, fitted to 200 high (±1 px of rounding); the original's size is the upright one.
        Assert.Equal((400, 600), (ready.OriginalWidth, ready.OriginalHeight));
        Assert.Equal(200, ready.Previews["small"].Height);
        Assert.InRange(ready.Previews["small"].Width, 133, 134);
        foreach (var size in PreviewSize.Ready)
        {
            var preview = await fixture.PreviewAsync(image, size);
            var markers = JpegFixtures.ApplicationMarkers(preview);
            Assert.DoesNotContain((byte)0xE1, markers);
            Assert.DoesNotContain((byte)0xE2, markers);
            Assert.DoesNotContain((byte)0xED, markers);
            Assert.Equal(-1, preview.AsSpan().IndexOf("Exif"u8));
        }
    }

    [Theory]
    [InlineData(1, 600, 400, "top-left")]
    [InlineData(2, 600, 400, "top-right")]
    [InlineData(3, 600, 400, "bottom-right")]
    [InlineData(4, 600, 400, "bottom-left")]
    [InlineData(5, 400, 600, "top-left")]
    [InlineData(6, 400, 600, "top-right")]
    [InlineData(7, 400, 600, "bottom-right")]
    [InlineData(8, 400, 600, "bottom-left")]
    public async Task Every_exif_orientation_is_shown_upright(ushort orientation, int width, int height, string redCorner)
    {
        // Red in the stored top-left corner, grey elsewhere: where the red ends up says which way the picture was turned.
        var stored = JpegFixtures.Encode(TestImages.Png(600, 400, sample: (x, y, c) => x < 150 && y < 100 ? (c == 0 ? 230 : 20) : 128), 600);
        var image = await fixture.StoreAsync(JpegFixtures.WithExif(stored, orientation));

        await fixture.DeliverAsync(image);

        var ready = ReadyOf(await fixture.PublishedAboutAsync(image));
        Assert.Equal((width, height), (ready.OriginalWidth, ready.OriginalHeight));
        var medium = await fixture.PreviewAsync(image, "medium");
        var (w, h) = (ready.Previews["medium"].Width, ready.Previews["medium"].Height);
        var corners = new Dictionary<string, (int X, int Y)> { ["top-left"] = (5, 5), ["top-right"] = (w - 6, 5), ["bottom-right"] = (w - 6, h - 6), ["bottom-left"] = (5, h - 6) };
        foreach (var (corner, (x, y)) in corners)
        {
            var pixel = VipsProbe.Pixel(medium, x, y);
            Assert.True(corner == redCorner ? pixel[0] > 180 && pixel[1] < 80 : Math.Abs(pixel[0] - pixel[1]) < 30, $"orientation {orientation}: {corner} is ({string.Join(", ", pixel)})");
        }
    }

    [Fact]
    public async Task A_cmyk_jpeg_with_its_profile_becomes_an_srgb_preview_without_the_profile()
    {
        // libvips' own CLI (libvips-tools) converts a generated grey picture to CMYK with an embedded profile.
        var folder = Directory.CreateTempSubdirectory("cmyk");
        var png = Path.Combine(folder.FullName, "grey.png");
        var cmyk = Path.Combine(folder.FullName, "cmyk.jpg");
        await File.WriteAllBytesAsync(png, TestImages.Png(640, 480, sample: (_, _, _) => 120));
        using (var convert = Process.Start(new ProcessStartInfo("vips", ["icc_export", png, cmyk, "--output-profile", "cmyk"]))!)
        {
            await convert.WaitForExitAsync();
            Assert.Equal(0, convert.ExitCode);
        }

        var original = await File.ReadAllBytesAsync(cmyk);
        folder.Delete(recursive: true);
        Assert.Contains((byte)0xE2, JpegFixtures.ApplicationMarkers(original));
        var image = await fixture.StoreAsync(original);

        await fixture.DeliverAsync(image);

        var preview = await fixture.PreviewAsync(image, "small");
        var facts = VipsProbe.Inspect(preview);
        Assert.Equal((200, 150, 3), (facts.Width, facts.Height, facts.Bands));
        Assert.InRange(facts.Mean, 90, 150);
        Assert.DoesNotContain((byte)0xE2, JpegFixtures.ApplicationMarkers(preview));
    }

    [Fact]
    public async Task A_16_bit_tiff_is_stretched_and_a_multi_page_tiff_shows_its_first_page()
    {
        var tiff16 = await fixture.StoreAsync(VipsFixtures.Tiff16(600, 400, (x, y) => (x * 4095 / 599) + (y % 30)), "xray", "tif");
        var pages = await fixture.StoreAsync(VipsFixtures.MultiPageTiff(320, 240, 30, 220), "xray", "tif");

        await fixture.DeliverAsync(tiff16);
        await fixture.DeliverAsync(pages);

        var stretched = VipsProbe.Inspect(await fixture.PreviewAsync(tiff16, "medium"));
        Assert.Equal((400, 267), (stretched.Width, stretched.Height));
        Assert.InRange(stretched.Mean, 100, 160);
        var first = ReadyOf(await fixture.PublishedAboutAsync(pages));
        Assert.Equal((320, 240), (first.OriginalWidth, first.OriginalHeight));
        Assert.InRange(VipsProbe.Inspect(await fixture.PreviewAsync(pages, "medium")).Mean, 20, 40);
    }

    [Fact]
    public async Task A_jpeg_compressed_tiff_with_subsampled_chroma_is_rendered_in_its_colours()
    {
        var image = await fixture.StoreAsync(VipsFixtures.SubsampledTiff(TestImages.Png(640, 480, sample: (_, _, c) => c == 2 ? 220 : 40)), "clinical", "tif");

        await fixture.DeliverAsync(image);

        var pixel = VipsProbe.Pixel(await fixture.PreviewAsync(image, "medium"), 200, 150);
        Assert.True(pixel[2] > 180 && pixel[0] < 80 && pixel[1] < 80, $"blue expected, got ({string.Join(", ", pixel)})");
    }

    [Fact]
    public async Task A_lossless_jpeg_and_a_greyscale_jpeg_are_rendered()
    {
        // Lossless JPEG (SOF3), as X-ray software writes it: the codestream GDCM's converter puts inside a DICOM file.
        var lossless = await fixture.StoreAsync(DicomFixtures.LosslessJpeg(320, 240, (x, y) => (x + y) % 256), "xray");
        var grey = await fixture.StoreAsync(JpegFixtures.Encode(TestImages.Png(320, 240, TestImages.PngColor.Gray, 8, (x, _, _) => x * 255 / 319), 320), "xray");

        await fixture.DeliverAsync(lossless);
        await fixture.DeliverAsync(grey);

        Assert.InRange(VipsProbe.Inspect(await fixture.PreviewAsync(lossless, "medium")).Mean, 100, 160);
        var greyPreview = VipsProbe.Inspect(await fixture.PreviewAsync(grey, "medium"));
        Assert.Equal((320, 240, 1), (greyPreview.Width, greyPreview.Height, greyPreview.Bands));
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "truncated", RejectionReason.Corrupt },
        { "truncated PNG", RejectionReason.Corrupt },
        { "truncated TIFF", RejectionReason.Corrupt },
        { "truncated WebP", RejectionReason.Corrupt },
        { "random", RejectionReason.Unsupported },
        { "bomb", RejectionReason.TooLarge },
        { "16-bit past its CPU budget", RejectionReason.TooLarge },
        { "PNG decoded in full past its budget", RejectionReason.TooLarge },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task A_broken_original_is_rejected_once_with_a_reason_and_no_preview(string kind, string reason)
    {
        var photo = JpegFixtures.Encode(TestImages.Png(800, 600), 800);
        var bytes = kind switch
        {
            "truncated" => photo[..(photo.Length * 6 / 10)],
            "truncated PNG" => TestImages.Png(800, 600) is var png ? png[..(png.Length * 6 / 10)] : [],
            "truncated TIFF" => VipsFixtures.Tiff16(800, 600, (x, y) => x + y) is var tiff ? tiff[..(tiff.Length * 6 / 10)] : [],
            "truncated WebP" => VipsFixtures.WebP(TestImages.Png(800, 600)) is var webp ? webp[..(webp.Length * 6 / 10)] : [],
            "random" => [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251))],
            "16-bit past its CPU budget" => TestImages.PngHeaderOnly(10_000, 10_000, bitDepth: 16, color: TestImages.PngColor.Gray),
            "PNG decoded in full past its budget" => TestImages.PngHeaderOnly(8_000, 8_000),
            _ => TestImages.PngHeaderOnly(50_000, 50_000),
        };
        var image = await fixture.StoreAsync(bytes);
        var clock = Stopwatch.StartNew();

        await fixture.DeliverAsync(image);

        var rejected = Assert.Single(await fixture.PublishedAboutAsync(image));
        Assert.Equal(ImageRejected.EventType, rejected.Type);
        Assert.Equal(reason, rejected.DataAs<ImageRejected>().Reason);
        Assert.False(string.IsNullOrWhiteSpace(rejected.DataAs<ImageRejected>().Detail));
        Assert.Equal(0, await fixture.PreviewCountAsync(image));
        Console.WriteLine($"{kind}: rejected in {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task The_same_event_twice_gives_identical_blobs_and_the_same_event_id()
    {
        var image = await fixture.StoreAsync(JpegFixtures.Encode(TestImages.Png(1200, 900), 1200));

        await fixture.DeliverAsync(image);
        var first = await Task.WhenAll(PreviewSize.All.Select(size => fixture.PreviewAsync(image, size)));
        await fixture.DeliverAsync(image);

        Assert.Equal(first, await Task.WhenAll(PreviewSize.All.Select(size => fixture.PreviewAsync(image, size))));
        Assert.Equal(3, await fixture.PreviewCountAsync(image));
        var published = (await fixture.PublishedAboutAsync(image)).Where(e => e.Type == PreviewsReady.EventType).ToList();
        Assert.Equal(2, published.Count);
        Assert.Single(published.Select(e => e.Id).Distinct());
    }

    [Fact]
    public void An_image_past_its_time_budget_is_rejected_as_too_costly_and_the_next_one_renders()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new ThumbnailerOptions { RenderTimeout = TimeSpan.FromMilliseconds(1) });
        var renderer = new Dental.Thumbnailer.Rendering.PreviewRenderer(options, new Dental.Thumbnailer.Rendering.HeifDecoder(options), new Dental.Thumbnailer.Rendering.DicomDecoder());
        var slow = TestImages.Png(4000, 3000, sample: (x, y, c) => (x ^ y ^ c) % 256);

        var rejected = Assert.Throws<Dental.Thumbnailer.Rendering.ImageRejectedException>(() => renderer.Render(slow, withLarge: true));

        Assert.Equal(RejectionReason.TooLarge, rejected.Reason);
        Assert.Contains("longer than", rejected.Message, StringComparison.Ordinal);
        var generous = Microsoft.Extensions.Options.Options.Create(new ThumbnailerOptions());
        Assert.Equal(2, new Dental.Thumbnailer.Rendering.PreviewRenderer(generous, new Dental.Thumbnailer.Rendering.HeifDecoder(generous), new Dental.Thumbnailer.Rendering.DicomDecoder()).Render(slow, withLarge: false).Previews.Count);
    }
}

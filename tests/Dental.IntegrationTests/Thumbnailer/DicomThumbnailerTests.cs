using System.Text;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Testing;

namespace Dental.IntegrationTests.Thumbnailer;

/// <summary>DICOM X-rays through the real Thumbnailer (GDCM, libvips), files made by GDCM and DCMTK in the tests.</summary>
public class DicomThumbnailerTests(ThumbnailerFixture fixture) : IClassFixture<ThumbnailerFixture>
{
    /// <summary>A 12-bit sensor's horizontal ramp, 0 at the left edge to 4095 at the right.</summary>
    private static readonly DicomSpec Ramp = new() { Sample = (x, _, _) => x * 4095 / 599 };

    public static TheoryData<string> TransferSyntaxes =>
    [
        DicomFixtures.ImplicitLittleEndian, DicomFixtures.ExplicitLittleEndian, DicomFixtures.ExplicitBigEndian,
        DicomFixtures.JpegLossless, DicomFixtures.JpegLs, DicomFixtures.Jpeg2000Lossless, DicomFixtures.Rle,
    ];

    private async Task<(PreviewsReady Ready, byte[] Medium)> RenderAsync(byte[] dicom)
    {
        var image = await fixture.StoreAsync(dicom, "xray", "dcm");
        await fixture.DeliverAsync(image);
        var published = await fixture.PublishedAboutAsync(image);
        var ready = Assert.Single(published, e => e.Type == PreviewsReady.EventType).DataAs<PreviewsReady>();
        return (ready, await fixture.PreviewAsync(image, "medium"));
    }

    private static double Grey(byte[] jpeg, int x, int y = 100) => VipsProbe.Pixel(jpeg, x, y)[0];

    [Theory]
    [MemberData(nameof(TransferSyntaxes))]
    public async Task A_12_bit_xray_in_every_transfer_syntax_gets_the_same_previews(string transferSyntax)
    {
        var dicom = DicomFixtures.Transcode(DicomFixtures.Create(Ramp), transferSyntax);

        var (ready, medium) = await RenderAsync(dicom);

        Assert.Equal((600, 400), (ready.OriginalWidth, ready.OriginalHeight));
        Assert.Equal((400, 267), (ready.Previews["medium"].Width, ready.Previews["medium"].Height));
        Assert.Equal(200, ready.Previews["small"].Width);
        Assert.Equal(transferSyntax, ready.Dicom!.TransferSyntax);
        // No window in the file: the ramp is stretched over its own range, dark on the left, bright on the right.
        Assert.InRange(Grey(medium, 3), 0, 20);
        Assert.InRange(Grey(medium, 396), 235, 255);
        Assert.InRange(VipsProbe.Inspect(medium).Mean, 110, 145);
    }

    [Fact]
    public async Task The_files_window_applies_after_its_rescale()
    {
        // Modality value = 2 × stored − 1000; the window's centre 3096 is stored value 2048, the middle of the picture.
        var dicom = DicomFixtures.Create(Ramp with { Slope = 2, Intercept = -1000, Window = (3096, 100) });

        var (_, medium) = await RenderAsync(dicom);

        Assert.InRange(Grey(medium, 150), 0, 10);
        // Stored 2564 here: white through the rescale, black if the rescale were ignored (below 3046).
        Assert.InRange(Grey(medium, 250), 245, 255);
    }

    [Fact]
    public async Task Monochrome1_is_shown_inverted()
    {
        var (_, medium) = await RenderAsync(DicomFixtures.Create(Ramp with { Photometric = "MONOCHROME1" }));

        Assert.InRange(Grey(medium, 3), 235, 255);
        Assert.InRange(Grey(medium, 396), 0, 20);
    }

    [Fact]
    public async Task Without_a_window_the_darkest_and_brightest_half_percent_are_left_out_of_the_stretch()
    {
        // A ramp to 2000, and one row (0.25 % of the pixels) saturated at 4095, as a sensor's hot pixels would be.
        var dicom = DicomFixtures.Create(Ramp with { Sample = (x, y, _) => y == 0 ? 4095 : x * 2000 / 599 });

        var (_, medium) = await RenderAsync(dicom);

        // Stretched to 4095 the ramp's end would be mid-grey (about 125).
        Assert.InRange(Grey(medium, 396, 200), 235, 255);
        Assert.InRange(Grey(medium, 3, 200), 0, 20);
    }

    [Fact]
    public async Task Without_a_window_a_negative_rescale_slope_turns_the_picture_around()
    {
        var (_, medium) = await RenderAsync(DicomFixtures.Create(Ramp with { Slope = -1, Intercept = 4095 }));

        Assert.InRange(Grey(medium, 3), 235, 255);
        // A quarter of the way along, still a grey of the stretch (about 192), not one side of a threshold.
        Assert.InRange(Grey(medium, 100), 170, 215);
        Assert.InRange(Grey(medium, 396), 0, 20);
    }

    [Fact]
    public async Task A_voi_lut_is_applied_when_the_file_has_no_window()
    {
        // The LUT turns the ramp around: stored 0 → 65535, stored 4095 → 0.
        var lut = Enumerable.Range(0, 4096).Select(i => (ushort)(65535 - (i * 16))).ToArray();

        var (_, medium) = await RenderAsync(DicomFixtures.Create(Ramp with { VoiLut = lut }));

        Assert.InRange(Grey(medium, 3), 235, 255);
        Assert.InRange(Grey(medium, 396), 0, 20);
    }

    [Fact]
    public async Task A_multi_frame_file_shows_its_middle_frame_and_says_so()
    {
        int[] levels = [500, 2000, 3500];
        var dicom = DicomFixtures.Create(Ramp with { Frames = 3, Sample = (_, _, f) => levels[f], Window = (2000, 4000) });

        var (ready, medium) = await RenderAsync(dicom);

        Assert.Equal((3, 2), (ready.Dicom!.Frames, ready.Dicom.PreviewFrame));
        Assert.InRange(VipsProbe.Inspect(medium).Mean, 120, 135);
    }

    [Fact]
    public async Task A_jpeg_baseline_colour_photo_is_turned_from_ybr_to_rgb()
    {
        var red = JpegFixtures.Encode(TestImages.Png(640, 480, sample: (_, _, c) => c == 0 ? 200 : 30), 640);

        var (ready, medium) = await RenderAsync(DicomFixtures.FromJpeg(red));

        Assert.StartsWith("YBR_FULL", ready.Dicom!.PhotometricInterpretation, StringComparison.Ordinal);
        var pixel = VipsProbe.Pixel(medium, 200, 150);
        Assert.InRange(pixel[0], 170, 230);
        Assert.InRange(pixel[1], 0, 60);
        Assert.InRange(pixel[2], 0, 60);
    }

    [Fact]
    public async Task Only_the_allow_listed_technical_attributes_leave_the_thumbnailer()
    {
        var image = await fixture.StoreAsync(DicomFixtures.Transcode(DicomFixtures.Create(Ramp), DicomFixtures.ExplicitLittleEndian), "xray", "dcm");

        await fixture.DeliverAsync(image);

        var envelope = Assert.Single(await fixture.PublishedAboutAsync(image), e => e.Type == PreviewsReady.EventType);
        var facts = envelope.DataAs<PreviewsReady>().Dicom!;
        Assert.Equal(("IO", "Acme Sensors", "IntraView 2"), (facts.Modality, facts.Manufacturer, facts.ManufacturerModelName));
        Assert.Equal((600, 400, 16, 12), (facts.Columns, facts.Rows, facts.BitsAllocated, facts.BitsStored));
        Assert.Equal([0.019, 0.019], facts.PixelSpacing!);
        Assert.Equal(new DateOnly(2026, 11, 30), facts.AcquisitionDate);
        var json = envelope.Data!.ToString();
        foreach (var identifying in new[] { "Doe", "Jane", "MRN-0042", "19800101", "1980-01-01" })
        {
            Assert.DoesNotContain(identifying, json, StringComparison.OrdinalIgnoreCase);
        }
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "truncated in its pixel data", RejectionReason.Corrupt },
        { "truncated compressed pixel data", RejectionReason.Corrupt },
        { "too many frames for the pixel budget", RejectionReason.TooLarge },
        { "garbage after the preamble", RejectionReason.Corrupt },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task A_broken_dicom_is_rejected_with_a_reason_and_no_preview(string kind, string reason)
    {
        var plain = DicomFixtures.Transcode(DicomFixtures.Create(Ramp), DicomFixtures.ExplicitLittleEndian);
        var bytes = kind switch
        {
            "truncated in its pixel data" => plain[..(plain.Length * 6 / 10)],
            "truncated compressed pixel data" => DicomFixtures.Transcode(DicomFixtures.Create(Ramp), DicomFixtures.JpegLs) is var ls ? ls[..(ls.Length * 7 / 10)] : [],
            "too many frames for the pixel budget" => DicomFixtures.Create(Ramp with { Width = 1000, Height = 1000, Frames = 21, Sample = (_, _, _) => 0 }),
            _ => [.. plain[..132], .. Encoding.ASCII.GetBytes(new string('x', 400))],
        };
        var image = await fixture.StoreAsync(bytes, "xray", "dcm");

        await fixture.DeliverAsync(image);

        var rejected = Assert.Single(await fixture.PublishedAboutAsync(image)).DataAs<ImageRejected>();
        Assert.Equal(reason, rejected.Reason);
        Assert.False(string.IsNullOrWhiteSpace(rejected.Detail));
        Assert.Equal(0, await fixture.PreviewCountAsync(image));
    }
}

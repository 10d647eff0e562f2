using Dental.Contracts.Imaging;

namespace Dental.UnitTests;

public class ImageHeaderTests
{
    private static readonly byte[] PngHeader =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x0F, 0xA0, 0, 0, 0x0B, 0xB8, 8, 2, 0, 0, 0];

    [Fact]
    public void Reads_png_dimensions_from_ihdr()
    {
        var header = ImageHeader.Read(PngHeader, complete: false);

        Assert.Equal((HeaderStatus.Ok, "png", 4000, 3000), (header.Status, header.Format!.Name, header.Width, header.Height));
    }

    [Fact]
    public void Reads_jpeg_dimensions_after_skipping_app_segments()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x06, 1, 2, 3, 4, 0xFF, 0xC2, 0x00, 0x11, 0x08, 0x0B, 0xB8, 0x0F, 0xA0, 3, 0, 0, 0, 0, 0, 0, 0, 0];

        var header = ImageHeader.Read(jpeg, complete: false);

        Assert.Equal((HeaderStatus.Ok, 4000, 3000), (header.Status, header.Width, header.Height));
    }

    [Fact]
    public void Reads_tiff_and_webp_dimensions()
    {
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 2, 0, 0, 1, 3, 0, 1, 0, 0, 0, 0x20, 0x03, 0, 0, 1, 1, 4, 0, 1, 0, 0, 0, 0x58, 0x02, 0, 0, 0, 0, 0, 0];
        byte[] webp = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. "VP8X"u8, 10, 0, 0, 0, 0, 0, 0, 0, 0x1F, 0x03, 0, 0x57, 0x02, 0, 0, 0];

        Assert.Equal((800, 600), (ImageHeader.Read(tiff, false).Width, ImageHeader.Read(tiff, false).Height));
        Assert.Equal((800, 600), (ImageHeader.Read(webp, false).Width, ImageHeader.Read(webp, false).Height));
    }

    [Fact]
    public void Reads_the_bit_depth_of_png_and_tiff_and_says_which_formats_decode_in_full()
    {
        byte[] png16 = [.. PngHeader[..24], 16, 0, 0, 0, 0];
        // II*, one IFD with width 800, height 600 and BitsPerSample 16 (one SHORT, inline).
        byte[] tiff16 = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 3, 0, 0, 1, 3, 0, 1, 0, 0, 0, 0x20, 0x03, 0, 0, 1, 1, 3, 0, 1, 0, 0, 0, 0x58, 0x02, 0, 0,
            2, 1, 3, 0, 1, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0];

        Assert.Equal((8, true), (ImageHeader.Read(PngHeader, false).BitsPerSample, ImageHeader.Read(PngHeader, false).DecodesInFull));
        Assert.Equal(16, ImageHeader.Read(png16, false).BitsPerSample);
        Assert.Equal((800, 600, 16), (ImageHeader.Read(tiff16, false).Width, ImageHeader.Read(tiff16, false).Height, ImageHeader.Read(tiff16, false).BitsPerSample));
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x0B, 0xB8, 0x0F, 0xA0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.False(ImageHeader.Read(jpeg, false).DecodesInFull);
    }

    [Theory]
    [InlineData(false, false, 100_000_000, "an image")]
    [InlineData(true, false, 50_000_000, "an image decoded in full (every format but JPEG)")]
    [InlineData(true, true, 20_000_000, "a 16-bit image")]
    [InlineData(false, true, 20_000_000, "a 16-bit image")]
    public void The_pixel_limit_follows_the_decoding_cost(bool decodesInFull, bool highBitDepth, long limit, string what)
    {
        Assert.Equal((limit, what), PixelLimits.For(new DefaultLimits(), decodesInFull, highBitDepth));
    }

    private sealed record DefaultLimits(
        long MaxPixels = PixelLimits.DefaultMaxPixels,
        long MaxPixelsDecodedInFull = PixelLimits.DefaultMaxPixelsDecodedInFull,
        long MaxPixelsHighBitDepth = PixelLimits.DefaultMaxPixelsHighBitDepth) : IPixelLimits;

    [Fact]
    public void Needs_more_data_until_complete_then_calls_a_short_file_truncated()
    {
        Assert.Equal(HeaderStatus.NeedMoreData, ImageHeader.Read(PngHeader.AsSpan(0, 20), complete: false).Status);
        Assert.Equal(HeaderStatus.Corrupt, ImageHeader.Read(PngHeader.AsSpan(0, 20), complete: true).Status);
    }

    [Fact]
    public void Anything_else_is_unsupported()
    {
        Assert.Equal(HeaderStatus.Unsupported, ImageHeader.Read("%PDF-1.7 some document"u8, complete: true).Status);
        Assert.Equal(HeaderStatus.Unsupported, ImageHeader.Read("\u007fELF\u0002\u0001\u0001\0\0\0\0\0"u8, complete: true).Status);
        Assert.Equal(HeaderStatus.Unsupported, ImageHeader.Read([], complete: true).Status);
    }
}

namespace Dental.Contracts.Imaging;

/// <summary>
/// How many pixels an original may have, by what decoding it costs: a JPEG decodes at a fraction of its
/// size (shrink-on-load), other formats in full, and 16-bit samples cost the most (a 10000×10000 16-bit PNG
/// of 194 KB took 20 s of CPU). Checked from the header by Upload and again by the Thumbnailer.
/// </summary>
public static class PixelLimits
{
    public const long DefaultMaxPixels = 100_000_000;
    public const long DefaultMaxPixelsDecodedInFull = 50_000_000;
    public const long DefaultMaxPixelsHighBitDepth = 20_000_000;

    /// <summary>The limit that applies, and what it applies to, for the reason given to the client.</summary>
    public static (long Limit, string What) For(IPixelLimits limits, bool decodesInFull, bool highBitDepth) =>
        highBitDepth ? (Math.Min(limits.MaxPixelsHighBitDepth, limits.MaxPixels), "a 16-bit image")
        : decodesInFull ? (Math.Min(limits.MaxPixelsDecodedInFull, limits.MaxPixels), "an image decoded in full (every format but JPEG)")
        : (limits.MaxPixels, "an image");
}

/// <summary>The pixel limits a service is configured with (Upload and the Thumbnailer each bind their own).</summary>
public interface IPixelLimits
{
    long MaxPixels { get; }

    long MaxPixelsDecodedInFull { get; }

    long MaxPixelsHighBitDepth { get; }
}

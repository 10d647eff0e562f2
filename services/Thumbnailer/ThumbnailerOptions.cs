using System.ComponentModel.DataAnnotations;
using Dental.Contracts.Imaging;

namespace Dental.Thumbnailer;

public sealed class ThumbnailerOptions : IPixelLimits
{
    public const string Section = "Thumbnailer";

    /// <summary>Preview sizes by name: the box each fits in and its JPEG quality (clinic documents: small 200/50, medium 400/70).</summary>
    [Required]
    public Dictionary<string, PreviewSpec> Sizes { get; set; } = new()
    {
        ["small"] = new PreviewSpec { MaxEdge = 200, Quality = 50 },
        ["medium"] = new PreviewSpec { MaxEdge = 400, Quality = 70 },
    };

    /// <summary>
    /// The viewing rendition (clinic documents: fits 1600 px, Q80), made with small and medium from the same decode; variants
    /// are viewed over their original and get none.
    /// </summary>
    [Required]
    public PreviewSpec Large { get; set; } = new() { MaxEdge = 1600, Quality = 80 };

    /// <summary>
    /// How many large previews repair's backfill may render from their originals at once; each also takes one of the
    /// <see cref="Parallelism"/> slots, so the backfill never holds more of them while uploads wait to be made ready.
    /// </summary>
    [Range(1, 64)]
    public int DeferredParallelism { get; set; } = 1;

    /// <summary>Images above this many pixels are refused before decoding (decompression bombs).</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = PixelLimits.DefaultMaxPixels;

    /// <summary>The same for formats decoded in full (every format but JPEG): the decoding cost bounds the CPU one image may take.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixelsDecodedInFull { get; set; } = PixelLimits.DefaultMaxPixelsDecodedInFull;

    /// <summary>The same for 16-bit images.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixelsHighBitDepth { get; set; } = PixelLimits.DefaultMaxPixelsHighBitDepth;

    [Range(1, 64)]
    public int Parallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// How long libvips may compute one image's previews before the image is given up as too costly (its memory is bounded
    /// by the pixel limits above, checked from the header before decoding).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RenderTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// libheif's own command-line decoder for HEIC (the distribution's libheif-examples), run out of process: the HEVC
    /// decoder stays outside the service. Empty: the first of <c>heif-dec</c> (libheif 1.17 on, as in the container's
    /// Ubuntu 24.04) and <c>heif-convert</c> (its older name, Debian 12) found on the PATH.
    /// </summary>
    public string HeifDecoder { get; set; } = "";

    /// <summary>How long one HEIC decode may take before the image is given up as unprocessable.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeifDecodeTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

public sealed class PreviewSpec
{
    [Range(16, 4096)]
    public int MaxEdge { get; set; }

    [Range(1, 100)]
    public int Quality { get; set; }
}

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
    /// The viewing rendition (clinic documents: fits 1600 px, Q80): its pixels are made with small and medium, from the same
    /// decode; it is encoded after they are published, at most <see cref="DeferredParallelism"/> at a time.
    /// </summary>
    [Required]
    public PreviewSpec Large { get; set; } = new() { MaxEdge = 1600, Quality = 80 };

    /// <summary>
    /// How many large previews may be encoded (or rendered from the original, when their pixels were not kept) at once; each
    /// also takes one of the <see cref="Parallelism"/> slots.
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

    /// <summary>
    /// How many bytes of large-preview pixels the ready render may keep for the deferred encodes that follow (about 5.8 MB for
    /// a 1600×1200 colour image); 0 keeps none, and each large preview is rendered from its original again.
    /// </summary>
    [Range(0, 1L << 30)]
    public long KeptLargePixelsBytes { get; set; } = 64L << 20;

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

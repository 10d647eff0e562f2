using System.ComponentModel.DataAnnotations;

namespace Dental.Thumbnailer;

public sealed class ThumbnailerOptions
{
    public const string Section = "Thumbnailer";

    /// <summary>Preview sizes by name: the box each fits in and its JPEG quality (clinic documents: small 200/50, medium 400/70).</summary>
    [Required]
    public Dictionary<string, PreviewSpec> Sizes { get; set; } = new()
    {
        ["small"] = new PreviewSpec { MaxEdge = 200, Quality = 50 },
        ["medium"] = new PreviewSpec { MaxEdge = 400, Quality = 70 },
    };

    /// <summary>Images above this many pixels are refused before decoding (decompression bombs).</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 100_000_000;

    [Range(1, 64)]
    public int Parallelism { get; set; } = Environment.ProcessorCount;
}

public sealed class PreviewSpec
{
    [Range(16, 4096)]
    public int MaxEdge { get; set; }

    [Range(1, 100)]
    public int Quality { get; set; }
}

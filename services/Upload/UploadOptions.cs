using System.ComponentModel.DataAnnotations;
using Dental.Contracts.Imaging;

namespace Dental.Upload;

public sealed class UploadOptions : IPixelLimits
{
    public const string Section = "Upload";

    /// <summary>Largest accepted file; larger ones get 413.</summary>
    [Range(1, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    [Range(1, 1000)]
    public int MaxFilesPerRequest { get; set; } = 20;

    /// <summary>Largest accepted width × height, checked from the header before anything is decoded.</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = PixelLimits.DefaultMaxPixels;

    /// <summary>The same for formats decoded in full (every format but JPEG).</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixelsDecodedInFull { get; set; } = PixelLimits.DefaultMaxPixelsDecodedInFull;

    /// <summary>The same for 16-bit images (X-ray PNG and TIFF).</summary>
    [Range(1, long.MaxValue)]
    public long MaxPixelsHighBitDepth { get; set; } = PixelLimits.DefaultMaxPixelsHighBitDepth;

    /// <summary>How long a response is remembered for a retried request with the same Idempotency-Key.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an upload waits for an identical one (same patient, same bytes) still being stored before it answers 409.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan IdenticalUploadWait { get; set; } = TimeSpan.FromSeconds(10);

    [Range(0, 10_000)]
    public int MaxNoteLength { get; set; } = 2000;

    /// <summary>How often the outbox is checked for events whose publish did not complete.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan OutboxSweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Outbox entries younger than this belong to uploads still publishing on their own.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan OutboxMinimumAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a resumable upload is kept after its last request; an abandoned one is then removed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ResumableExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often expired resumable uploads are looked for.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan ResumableSweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Where the Catalog answers (a duplicate upload asks it for the stored image's status); a service-discovery name locally.</summary>
    [Required]
    public Uri CatalogAddress { get; set; } = new("http://catalog");

    /// <summary>How long a duplicate's answer waits for the Catalog before it goes without the status.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan CatalogTimeout { get; set; } = TimeSpan.FromSeconds(3);
}

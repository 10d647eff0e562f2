using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Upload.Store;
using Microsoft.Extensions.Options;

namespace Dental.Upload.Storage;

public abstract record ClaimResult
{
    /// <summary>This upload owns the content hash: store it.</summary>
    public sealed record Claimed : ClaimResult;

    /// <summary>The same bytes are stored already as this image.</summary>
    public sealed record Existing(ImageUploaded Image, ImageText Text) : ClaimResult;

    /// <summary>An identical upload is being stored right now; try again shortly.</summary>
    public sealed record Busy : ClaimResult;
}

/// <summary>
/// One marker per (patient, SHA-256), created atomically with If-None-Match: *, so two identical
/// uploads racing each other store one image. A marker whose original never appeared (its upload
/// crashed) is taken over once it is older than <see cref="StaleAfter"/>.
/// </summary>
public sealed class DuplicateMarkers(UploadRecords records, OriginalCommitter originals, IOptions<UploadOptions> options, TimeProvider time)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    public async Task<ClaimResult> ClaimAsync(ImageUploaded image, CancellationToken cancellationToken)
    {
        var name = UploadRecords.DedupeMarker(image.Patient, image.Sha256);
        var waitUntil = time.GetUtcNow() + options.Value.IdenticalUploadWait;
        while (true)
        {
            if (await records.TryCreateAsync(name, image, cancellationToken))
            {
                return new ClaimResult.Claimed();
            }

            if (await records.ReadAsync<ImageUploaded>(name, cancellationToken) is not { } marker)
            {
                continue;
            }

            if (await originals.ReadTextAsync(marker.Value.BlobName, cancellationToken) is { } text)
            {
                return new ClaimResult.Existing(marker.Value, text);
            }

            if (time.GetUtcNow() - marker.LastModified > StaleAfter)
            {
                if (await records.TryReplaceAsync(name, image, marker.ETag, cancellationToken))
                {
                    return new ClaimResult.Claimed();
                }

                continue;
            }

            if (time.GetUtcNow() > waitUntil)
            {
                return new ClaimResult.Busy();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>Releases a claim this upload made but could not complete.</summary>
    public async Task ReleaseAsync(ImageUploaded image, CancellationToken cancellationToken)
    {
        var name = UploadRecords.DedupeMarker(image.Patient, image.Sha256);
        if (await records.ReadAsync<ImageUploaded>(name, cancellationToken) is { } marker && marker.Value.ImageId == image.ImageId)
        {
            await records.DeleteAsync(name, cancellationToken);
        }
    }
}

using Azure.Storage.Blobs.Models;

namespace Dental.Thumbnailer;

/// <summary>How every preview blob is written: a JPEG, private to the caller's cache.</summary>
internal static class PreviewBlobs
{
    public static BlobUploadOptions Options => new() { HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg", CacheControl = "private" } };
}

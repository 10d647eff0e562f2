using Azure.Storage.Blobs.Models;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Events;

namespace Dental.Thumbnailer;

/// <summary>How every preview blob is written: a JPEG, private to the caller's cache; and taken back if its patient was erased meanwhile.</summary>
internal static class PreviewBlobs
{
    public static BlobUploadOptions Options => new() { HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg", CacheControl = "private" } };

    /// <summary>
    /// Checked after writing: an erasure that listed the patient's previews before these were written cannot have removed
    /// them, so the render removes them itself (and announces nothing).
    /// </summary>
    public static async Task<bool> UndoIfErasedAsync(
        ErasureTombstones tombstones, ImageContainers containers, PatientKey patient, IEnumerable<PreviewInfo> written, CancellationToken cancellationToken)
    {
        if (!await tombstones.IsErasedAsync(patient, cancellationToken))
        {
            return false;
        }

        foreach (var preview in written)
        {
            await containers.Previews.DeleteBlobIfExistsAsync(preview.BlobName, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        }

        return true;
    }
}

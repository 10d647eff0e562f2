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
        ErasureTombstones tombstones, ImageContainers containers, PatientKey patient, IEnumerable<PreviewInfo> written, CancellationToken cancellationToken) =>
        await tombstones.IsErasedAsync(patient, cancellationToken) && await UndoAsync(containers, written.Select(p => p.BlobName), cancellationToken);

    /// <summary>Removes the named previews, with any snapshot of them.</summary>
    public static async Task<bool> UndoAsync(ImageContainers containers, IEnumerable<string> blobNames, CancellationToken cancellationToken)
    {
        foreach (var name in blobNames)
        {
            await containers.Previews.DeleteBlobIfExistsAsync(name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        }

        return true;
    }
}

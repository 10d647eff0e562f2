using Azure.Storage.Blobs.Models;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Events;

namespace Dental.Thumbnailer;

/// <summary>How every preview blob is written: a JPEG, private to the caller's cache; and taken back if its patient was erased or its image moved meanwhile.</summary>
internal static class PreviewBlobs
{
    public static BlobUploadOptions Options => new() { HttpHeaders = new BlobHttpHeaders { ContentType = "image/jpeg", CacheControl = "private" } };

    /// <summary>
    /// Checked after writing: an erasure that listed the patient's previews before these were written cannot have removed
    /// them, so the render removes them itself (and announces nothing).
    /// </summary>
    public static async Task<bool> UndoIfErasedAsync(
        ErasureTombstones tombstones, ImageContainers containers, PatientKey patient, IEnumerable<PreviewInfo> written, CancellationToken cancellationToken) =>
        await tombstones.IsErasedAsync(patient, cancellationToken) && await UndoAsync(containers, written, cancellationToken);

    /// <summary>
    /// Like <see cref="UndoIfErasedAsync"/>, and also when the original rendered from is no longer at its name: a correction moved
    /// the image's blobs meanwhile (a preview written at the old name after they moved would be left behind).
    /// </summary>
    public static async Task<bool> UndoIfOrphanedAsync(
        ErasureTombstones tombstones, ImageContainers containers, PatientKey patient, string originalBlobName, IEnumerable<PreviewInfo> written,
        CancellationToken cancellationToken) =>
        (await tombstones.IsErasedAsync(patient, cancellationToken) || !(await containers.Originals.GetBlobClient(originalBlobName).ExistsAsync(cancellationToken)).Value)
        && await UndoAsync(containers, written, cancellationToken);

    private static async Task<bool> UndoAsync(ImageContainers containers, IEnumerable<PreviewInfo> written, CancellationToken cancellationToken)
    {
        foreach (var preview in written)
        {
            await containers.Previews.DeleteBlobIfExistsAsync(preview.BlobName, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
        }

        return true;
    }
}

using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.AzureClients;
using Dental.Catalog.Persistence;
using Dental.Contracts;

namespace Dental.Catalog.Api;

public sealed record ErasureReport(string PatientId, int Originals, int Previews, int Records, int Documents);

/// <summary>
/// Right to erasure: every original, preview, dedupe/idempotency record and document of one patient.
/// Blobs go first, so an event still in flight finds no blob and is dropped instead of re-creating a
/// document. Idempotent: erasing again reports zeros.
/// </summary>
internal static partial class PatientErasure
{
    public static async Task<IResult> EraseAsync(string patientId, DocumentStore store, ImageContainers containers, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var prefix = BlobNames.PatientPrefix(patientId);
        var (originals, records) = await DeletePrefixAsync(containers.Originals, prefix, cancellationToken);
        var (previews, _) = await DeletePrefixAsync(containers.Previews, prefix, cancellationToken);

        var documents = await store.DeletePatientAsync(patientId, cancellationToken);

        var report = new ErasureReport(patientId, originals, previews, records, documents);
        LogErased(loggers.CreateLogger(typeof(PatientErasure)), originals, previews, records, documents);
        return Results.Ok(report);
    }

    /// <summary>Deletes every blob under the prefix; returns (image blobs, service records such as dedupe markers).</summary>
    private static async Task<(int Images, int Records)> DeletePrefixAsync(BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        int images = 0, records = 0;
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            var deleted = (await container.DeleteBlobIfExistsAsync(blob.Name, Azure.Storage.Blobs.Models.DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken)).Value;
            if (deleted && blob.Name[prefix.Length..].StartsWith('_'))
            {
                records++;
            }
            else if (deleted)
            {
                images++;
            }
        }

        return (images, records);
    }

    // Counts only: the patient id is personal data and is not logged.
    [LoggerMessage(LogLevel.Information, "Patient erased: {Originals} originals, {Previews} previews, {Records} records, {Documents} documents")]
    private static partial void LogErased(ILogger logger, int originals, int previews, int records, int documents);
}

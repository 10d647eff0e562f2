using Azure.Messaging;
using Dental.AzureClients;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Upload.Store;

namespace Dental.Upload;

/// <summary>
/// The Upload service's step of a correction: moves the original to its new tooth/type name with its metadata rewritten,
/// points the dedupe record at the new name, and hands over to the Thumbnailer. Idempotent: run again after a crash it
/// finishes the move and announces the same event.
/// </summary>
public sealed partial class CorrectionHandler(
    ImageContainers containers, UploadRecords records, ErasureTombstones tombstones, IEventPublisher publisher, ILogger<CorrectionHandler> logger)
    : IEventConsumerHandler<ImageCorrection>
{
    public async Task HandleAsync(ImageCorrection correction, CloudEvent envelope, CancellationToken cancellationToken)
    {
        if (await tombstones.IsErasedAsync(correction.Patient, cancellationToken))
        {
            return;
        }

        var moved = await containers.Originals.MoveAllUnderAsync(
            correction.FromPrefix, correction.ToPrefix, metadata => OriginalMetadata.Correct(metadata, correction), cancellationToken);
        await foreach (var original in containers.Originals.GetBlobsAsync(
            new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = correction.ToPrefix, Traits = Azure.Storage.Blobs.Models.BlobTraits.Metadata }, cancellationToken))
        {
            if (original.Metadata.TryGetValue("sha256", out var sha256) && original.Metadata.TryGetValue("imageid", out var imageId))
            {
                await PointDedupeRecordAsync(correction, sha256, Guid.Parse(imageId), original.Name, cancellationToken);
            }
        }

        await publisher.PublishAsync(Topics.Patients, ImageCorrection.OriginalMoved, correction.EventId("original-moved"),
            EventSubjects.Image(correction.PatientId, correction.ImageId), correction, cancellationToken);
        LogMoved(logger, correction.ImageId, moved);
    }

    /// <summary>A later upload of the same bytes (of the image or of one of its variants) answers with the image as it is now: tooth, type, notation, taken time and name.</summary>
    private async Task PointDedupeRecordAsync(ImageCorrection correction, string sha256, Guid imageId, string blobName, CancellationToken cancellationToken)
    {
        var name = UploadRecords.DedupeMarker(correction.Patient, sha256);
        while (await records.ReadAsync<ImageUploaded>(name, cancellationToken) is { } marker && marker.Value.ImageId == imageId)
        {
            var corrected = marker.Value with
            {
                Tooth = correction.Tooth, Notation = correction.Notation, Type = correction.Type, TakenAt = correction.TakenAt, BlobName = blobName,
            };
            if (corrected == marker.Value || await records.TryReplaceAsync(name, corrected, marker.ETag, cancellationToken))
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Image {ImageId}: correction applied to {Blobs} original blob(s)")]
    private static partial void LogMoved(ILogger logger, Guid imageId, int blobs);
}

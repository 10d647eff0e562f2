using Azure.Messaging;
using Dental.AzureClients;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Upload.Store;

namespace Dental.Upload;

/// <summary>Retention purged an image: its original (with any earlier version or snapshot) and its dedupe record go. Idempotent.</summary>
public sealed partial class ImagePurgedHandler(ImageContainers containers, UploadRecords records, ILogger<ImagePurgedHandler> logger) : IEventConsumerHandler<ImagePurged>
{
    public async Task HandleAsync(ImagePurged data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        // The blob's full name as the prefix: it and its copies, nothing else (names end with the image id and extension).
        var erased = await containers.Originals.EraseAllUnderAsync(data.BlobName, cancellationToken);
        await records.DeleteAsync(UploadRecords.DedupeMarker(data.Patient, data.Sha256), cancellationToken);
        LogPurged(logger, data.ImageId, erased.Blobs + erased.Copies);
    }

    [LoggerMessage(LogLevel.Information, "Image {ImageId} purged (retention): {Blobs} original blob(s) removed")]
    private static partial void LogPurged(ILogger logger, Guid imageId, int blobs);
}

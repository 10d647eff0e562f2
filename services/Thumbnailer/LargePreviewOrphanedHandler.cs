using Azure.Messaging;
using Dental.AzureClients;
using Dental.Contracts.Events;
using Dental.Messaging;

namespace Dental.Thumbnailer;

/// <summary>
/// Takes back a large preview written after its image moved or was purged, once its original is confirmed gone from the
/// name it was rendered from (a correction and its reversal may have brought a live image back to that name). Idempotent.
/// </summary>
public sealed partial class LargePreviewOrphanedHandler(ImageContainers containers, ILogger<LargePreviewOrphanedHandler> logger)
    : IEventConsumerHandler<LargePreviewOrphaned>
{
    public async Task HandleAsync(LargePreviewOrphaned orphan, CloudEvent envelope, CancellationToken cancellationToken)
    {
        if ((await containers.Originals.GetBlobClient(orphan.OriginalBlobName).ExistsAsync(cancellationToken)).Value)
        {
            return;
        }

        await PreviewBlobs.UndoAsync(containers, [orphan.PreviewBlobName], cancellationToken);
        LogRemoved(logger, orphan.ImageId);
    }

    [LoggerMessage(LogLevel.Information, "Image {ImageId}: a large preview written after the image moved or was purged was removed")]
    private static partial void LogRemoved(ILogger logger, Guid imageId);
}

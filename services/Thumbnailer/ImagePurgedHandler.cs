using Azure.Messaging;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Messaging;

namespace Dental.Thumbnailer;

/// <summary>Retention purged an image: every preview of it goes (with any earlier version or snapshot). Idempotent.</summary>
public sealed partial class ImagePurgedHandler(ImageContainers containers, ILogger<ImagePurgedHandler> logger) : IEventConsumerHandler<ImagePurged>
{
    public async Task HandleAsync(ImagePurged data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        var erased = await containers.Previews.EraseAllUnderAsync(data.PreviewPrefix(), cancellationToken);
        LogPurged(logger, data.ImageId, erased.Blobs + erased.Copies);
    }

    [LoggerMessage(LogLevel.Information, "Image {ImageId} purged (retention): {Blobs} preview blob(s) removed")]
    private static partial void LogPurged(ILogger logger, Guid imageId, int blobs);
}

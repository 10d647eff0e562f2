using Azure.Messaging;
using Dental.AzureClients;
using Dental.Contracts.Events;
using Dental.Messaging;

namespace Dental.Thumbnailer;

/// <summary>
/// The Thumbnailer's step of a correction, after the original has moved: moves every preview of the image to its new
/// tooth/type folder and hands back to the Catalog. Idempotent. A large preview written at the old name after this ran is
/// found by the Catalog and taken back (<see cref="LargePreviewOrphanedHandler"/>).
/// </summary>
public sealed partial class CorrectionHandler(ImageContainers containers, IEventPublisher publisher, ILogger<CorrectionHandler> logger)
    : IEventConsumerHandler<ImageCorrection>
{
    public async Task HandleAsync(ImageCorrection correction, CloudEvent envelope, CancellationToken cancellationToken)
    {
        var moved = correction.Moves
            ? await containers.Previews.MoveAllUnderAsync(correction.FromPrefix + "/", correction.ToPrefix + "/", _ => { }, cancellationToken)
            : 0;
        await publisher.PublishAsync(Topics.Patients, ImageCorrection.PreviewsMoved, correction.EventId("previews-moved"),
            EventSubjects.Image(correction.PatientId, correction.ImageId), correction, cancellationToken);
        LogMoved(logger, correction.ImageId, moved);
    }

    [LoggerMessage(LogLevel.Information, "Image {ImageId}: correction moved {Blobs} preview blob(s)")]
    private static partial void LogMoved(ILogger logger, Guid imageId, int blobs);
}

using Dental.Contracts.Events;
using Dental.Messaging;

namespace Dental.Ops;

/// <summary>Sends an image through the normal pipeline again (ImageUploaded → Thumbnailer and Catalog), under a fresh event id.</summary>
internal static class Reprocessing
{
    /// <param name="why">Part of the event id ("restored", "repair"), so the broker's duplicate detection does not drop it.</param>
    public static Task PublishAsync(IEventPublisher publisher, ImageUploaded image, string why, CancellationToken cancellationToken) =>
        publisher.PublishAsync(Topics.Images, ImageUploaded.EventType, $"{image.ImageId:D}:{why}:{DateTimeOffset.UtcNow:yyyyMMddHHmmss}",
            EventSubjects.Image(image.PatientId, image.ImageId), image, cancellationToken);

    public static Task RequestLargeAsync(IEventPublisher publisher, ImageUploaded image, CancellationToken cancellationToken) =>
        publisher.PublishAsync(Topics.Renditions, LargePreviewRequested.EventType, $"{image.ImageId:D}:large-repair:{DateTimeOffset.UtcNow:yyyyMMddHHmmss}",
            EventSubjects.Image(image.PatientId, image.ImageId), LargePreviewRequested.For(image), cancellationToken);
}

using System.Diagnostics;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.ServiceDefaults.Resilience;
using Polly.Registry;
using Dental.Upload.Store;

namespace Dental.Upload.Outbox;

/// <summary>
/// Publishes ImageUploaded through a durable outbox: the entry is written before the original is
/// committed and removed once the event is published. Whatever fails in between, the sweeper finds
/// the entry and publishes later — a stored original never goes without its event.
/// </summary>
public sealed class UploadEvents(UploadRecords records, IEventPublisher publisher, ResiliencePipelineProvider<string> resilience)
{
    public static string EventId(Guid imageId) => $"{imageId:D}:uploaded";

    public Task RecordAsync(ImageUploaded image, CancellationToken cancellationToken) =>
        records.WriteAsync(UploadRecords.Outbox(image.ImageId), new OutboxEntry(image, Activity.Current?.Id), cancellationToken);

    public Task ForgetAsync(Guid imageId, CancellationToken cancellationToken) =>
        records.DeleteAsync(UploadRecords.Outbox(imageId), cancellationToken);

    public async Task PublishAsync(ImageUploaded image, CancellationToken cancellationToken)
    {
        await resilience.GetPipeline(ResilienceExtensions.Azure).ExecuteAsync(
            async ct => await publisher.PublishAsync(
                Topics.Images, ImageUploaded.EventType, EventId(image.ImageId), EventSubjects.Image(image.PatientId, image.ImageId), image, ct),
            cancellationToken);
        await ForgetAsync(image.ImageId, cancellationToken);
    }
}

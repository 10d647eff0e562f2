using System.Diagnostics;
using Azure;
using Azure.Messaging;
using Azure.Storage.Blobs.Models;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Thumbnailer.Rendering;

namespace Dental.Thumbnailer;

/// <summary>
/// Turns an uploaded original into its previews, the large viewing rendition among them (variants get small and medium
/// only), all from one decode and announced together: an image is ready with everything it will show. Idempotent: the same
/// event renders the same bytes to the same blob names and publishes under the same event id. An original that cannot be
/// decoded is reported once as ImageRejected and completed; storage and bus faults are left to the port's retries.
/// </summary>
public sealed partial class ImageUploadedHandler(
    ImageContainers containers,
    OriginalDownloader originals,
    PreviewRenderer renderer,
    RenderSlots slots,
    ErasureTombstones tombstones,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<ImageUploadedHandler> logger) : IEventConsumerHandler<ImageUploaded>
{
    public async Task HandleAsync(ImageUploaded image, CloudEvent envelope, CancellationToken cancellationToken)
    {
        var original = await originals.DownloadAsync(image.BlobName, cancellationToken);
        if (original is null)
        {
            LogOriginalGone(logger, image.ImageId);
            return;
        }

        var subject = EventSubjects.Image(image.PatientId, image.ImageId);
        RenderResult result;
        var clock = Stopwatch.StartNew();
        try
        {
            result = await slots.RunAsync(() => renderer.Render(original, withLarge: image.Variant is null), cancellationToken);
        }
        catch (ImageRejectedException ex)
        {
            ThumbnailerMetrics.Rejected.Add(1, new KeyValuePair<string, object?>("reason", ex.Reason));
            LogRejected(logger, image.ImageId, ex.Reason, ex.Message);
            var rejected = new ImageRejected(image.ImageId, image.ClinicId, image.PatientId, image.BlobName, ex.Reason, ex.Message, time.GetUtcNow());
            await publisher.PublishAsync(Topics.ImageResults, ImageRejected.EventType, $"{image.ImageId:D}:rejected", subject, rejected, cancellationToken);
            return;
        }

        ThumbnailerMetrics.RenderDuration.Record(clock.Elapsed.TotalMilliseconds);
        // Every preview is written at once: one storage round trip on the path to "ready" instead of one per size.
        var written = await Task.WhenAll(result.Previews.Select(async preview =>
        {
            var name = image.PreviewName(preview.Size);
            await containers.Previews.GetBlobClient(name).UploadAsync(new BinaryData(preview.Jpeg), PreviewBlobs.Options, cancellationToken);
            return (preview.Size, Info: new PreviewInfo(name, preview.Width, preview.Height, preview.Jpeg.Length));
        }));
        var previews = written.ToDictionary(p => p.Size, p => p.Info);
        if (await PreviewBlobs.UndoIfErasedAsync(tombstones, containers, image.Patient, previews.Values, cancellationToken))
        {
            return;
        }

        var ready = new PreviewsReady(image.ImageId, image.ClinicId, image.PatientId, result.OriginalWidth, result.OriginalHeight, previews, time.GetUtcNow(), result.Dicom);
        await publisher.PublishAsync(Topics.ImageResults, PreviewsReady.EventType, $"{image.ImageId:D}:previews-ready", subject, ready, cancellationToken);
        ThumbnailerMetrics.Images.Add(1);
        LogRendered(logger, image.ImageId, clock.ElapsedMilliseconds);
    }

    [LoggerMessage(LogLevel.Information, "Image {ImageId}: previews ready in {Milliseconds} ms")]
    private static partial void LogRendered(ILogger logger, Guid imageId, long milliseconds);

    [LoggerMessage(LogLevel.Information, "Image {ImageId}: original no longer exists (erased); nothing to render")]
    private static partial void LogOriginalGone(ILogger logger, Guid imageId);

    [LoggerMessage(LogLevel.Warning, "Image {ImageId} rejected ({Reason}): {Detail}")]
    private static partial void LogRejected(ILogger logger, Guid imageId, string reason, string detail);
}

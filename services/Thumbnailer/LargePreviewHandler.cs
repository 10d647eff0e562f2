using System.Diagnostics;
using Azure.Messaging;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Thumbnailer.Rendering;

namespace Dental.Thumbnailer;

/// <summary>
/// Renders the viewing rendition (<c>large</c>) of an image stored before it existed, as repair asks, at a lower priority than
/// the work that makes images ready. Idempotent like <see cref="ImageUploadedHandler"/>: the same bytes as the ready render
/// makes, the same blob, the same event id.
/// </summary>
public sealed partial class LargePreviewHandler(
    ImageContainers containers,
    OriginalDownloader originals,
    PreviewRenderer renderer,
    RenderSlots slots,
    ErasureTombstones tombstones,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<LargePreviewHandler> logger) : IEventConsumerHandler<LargePreviewRequested>
{
    public async Task HandleAsync(LargePreviewRequested request, CloudEvent envelope, CancellationToken cancellationToken)
    {
        if (await originals.DownloadAsync(request.BlobName, cancellationToken) is not { } original)
        {
            LogOriginalGone(logger, request.ImageId);
            return;
        }

        var clock = Stopwatch.StartNew();
        RenderedPreview preview;
        try
        {
            preview = await slots.RunDeferredAsync(() => renderer.RenderLarge(original), cancellationToken);
        }
        catch (ImageRejectedException ex)
        {
            // The image is ready with small and medium; the viewer keeps showing medium.
            LogNotRendered(logger, request.ImageId, ex.Reason, ex.Message);
            return;
        }

        var name = BlobNames.Preview(request.Patient, request.Tooth, request.Type, request.ImageId, PreviewSize.Large);
        await containers.Previews.GetBlobClient(name).UploadAsync(new BinaryData(preview.Jpeg), PreviewBlobs.Options, cancellationToken);
        var info = new PreviewInfo(name, preview.Width, preview.Height, preview.Jpeg.Length);
        // Whether the image moved or was purged since its original was read is judged by the Catalog from the image's document
        // (LargePreviewOrphaned comes back in that rare case), not by asking storage for every image.
        if (await PreviewBlobs.UndoIfErasedAsync(tombstones, containers, request.Patient, [info], cancellationToken))
        {
            return;
        }

        var ready = new LargePreviewReady(request.ImageId, request.ClinicId, request.PatientId, info, request.BlobName, time.GetUtcNow());
        await publisher.PublishAsync(Topics.ImageResults, LargePreviewReady.EventType, $"{request.ImageId:D}:large-preview-ready",
            EventSubjects.Image(request.PatientId, request.ImageId), ready, cancellationToken);
        LogRendered(logger, request.ImageId, clock.ElapsedMilliseconds);
    }

    [LoggerMessage(LogLevel.Information, "Image {ImageId}: large preview ready in {Milliseconds} ms")]
    private static partial void LogRendered(ILogger logger, Guid imageId, long milliseconds);

    [LoggerMessage(LogLevel.Information, "Image {ImageId}: original no longer at its name (erased or moved); no large preview")]
    private static partial void LogOriginalGone(ILogger logger, Guid imageId);

    [LoggerMessage(LogLevel.Warning, "Image {ImageId}: no large preview ({Reason}): {Detail}")]
    private static partial void LogNotRendered(ILogger logger, Guid imageId, string reason, string detail);
}

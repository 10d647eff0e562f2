using Azure.Messaging;
using Dental.AzureClients;
using Dental.Catalog.Erasure;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Upload.Store;

namespace Dental.Catalog.Handlers;

/// <summary>
/// Applies image events to the catalog. Idempotent (the reducer ignores what is already applied) and
/// order-tolerant (an early event leaves a hidden stub). An event about an image whose blobs are gone is dropped; one about an
/// erased patient is undone right after it is written (checked after, not before: an erasure that began meanwhile has not
/// seen this write).
/// </summary>
public sealed partial class ImageEventHandlers(
    DocumentStore store, ImageContainers containers, ErasedPatients erased, IEventPublisher publisher, ILogger<ImageEventHandlers> logger)
    : IEventConsumerHandler<ImageUploaded>, IEventConsumerHandler<PreviewsReady>, IEventConsumerHandler<LargePreviewReady>, IEventConsumerHandler<ImageRejected>,
      IEventConsumerHandler<ImageCorrection>
{
    public async Task HandleAsync(ImageUploaded data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        // One read both proves the original is stored and brings the file name and note the event leaves out.
        if (await OriginalMetadata.ReadTextAsync(containers.Originals.GetBlobClient(data.BlobName), cancellationToken) is { } text)
        {
            // An image's first event: its document is created without reading first (a stub left by an earlier event refuses it).
            await ApplyAsync(data.Patient, data.ImageId, d => ImageDocumentReducer.Apply(d, data, text), cancellationToken, likelyNew: true);
            await store.RecordActivityAsync(data.Patient, data.UploadedAt, cancellationToken);
            await UndoIfErasedAsync(data.Patient, data.ImageId, cancellationToken);
        }
    }

    /// <remarks>No correction or purge can have begun before the image was ready, so these previews cannot have been orphaned.</remarks>
    public async Task HandleAsync(PreviewsReady data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        if (data.Previews.Count > 0)
        {
            await ApplyUnlessPreviewsGoneAsync(data.Patient, data.ImageId, data.Previews, d => ImageDocumentReducer.Apply(d, data), cancellationToken);
        }
    }

    /// <remarks>
    /// Rendered after the image was ready, the large preview may have been written after a correction moved the image or a
    /// purge removed it: then its original is no longer where it was rendered from, and the Thumbnailer is asked to take it back.
    /// </remarks>
    public Task HandleAsync(LargePreviewReady data, CloudEvent envelope, CancellationToken cancellationToken) =>
        ApplyUnlessPreviewsGoneAsync(data.Patient, data.ImageId, new Dictionary<string, PreviewInfo> { [PreviewSize.Large] = data.Preview },
            d => ImageDocumentReducer.Apply(d, data), cancellationToken, belongsToImage: async () =>
            {
                if (await ExistsAsync(containers.Originals.GetBlobClient(data.OriginalBlobName), cancellationToken))
                {
                    return true;
                }

                await publisher.PublishAsync(Topics.Patients, LargePreviewOrphaned.EventType, $"{data.ImageId:D}:large-preview-orphaned",
                    EventSubjects.Image(data.PatientId, data.ImageId), LargePreviewOrphaned.Of(data), cancellationToken);
                return false;
            });

    public async Task HandleAsync(ImageRejected data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(containers.Originals.GetBlobClient(data.BlobName), cancellationToken))
        {
            await ApplyAsync(data.Patient, data.ImageId, d => ImageDocumentReducer.Apply(d, data), cancellationToken);
            await UndoIfErasedAsync(data.Patient, data.ImageId, cancellationToken);
        }
    }

    /// <summary>
    /// The last owner moved the image's blobs (its variants' with them) for its pending correction: the variants' documents take the
    /// original's tooth and type and their new names, then the original's takes its names and the correction is done.
    /// </summary>
    public async Task HandleAsync(ImageCorrection data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        foreach (var variant in await store.VariantsOfAsync(data.Patient, [data.ImageId], cancellationToken))
        {
            await ApplyAsync(data.Patient, variant.Upload!.ImageId, d => ImageDocumentReducer.Follow(d!, data), cancellationToken);
        }

        await ApplyAsync(data.Patient, data.ImageId, d => ImageDocumentReducer.Apply(d, data), cancellationToken);
    }

    /// <summary>
    /// Applies an event about written previews unless they are gone. The image's document vouches for them, without asking
    /// storage, when it names them as the upload placed them and no correction or purge is under way: previews are removed
    /// only after one of those is written to the document (which makes this ETag-conditioned write run again on it) or after
    /// the patient's erasure began (undone below). Without that (an early event, or an image moved or purged since), the blob
    /// itself is asked, and then <paramref name="belongsToImage"/>, when given, whether it still belongs to an image.
    /// </summary>
    private async Task ApplyUnlessPreviewsGoneAsync(
        PatientKey patient, Guid imageId, IReadOnlyDictionary<string, PreviewInfo> previews, Func<ImageDocument?, ImageDocument> change, CancellationToken cancellationToken,
        Func<Task<bool>>? belongsToImage = null)
    {
        var vouched = false;
        await ApplyAsync(patient, imageId, d => (vouched = ImageDocumentReducer.VouchesFor(d, previews)) ? change(d) : d, cancellationToken);
        if (!vouched)
        {
            if (!await ExistsAsync(containers.Previews.GetBlobClient(previews.Values.First().BlobName), cancellationToken)
                || (belongsToImage is not null && !await belongsToImage()))
            {
                return;
            }

            await ApplyAsync(patient, imageId, change, cancellationToken);
        }

        await UndoIfErasedAsync(patient, imageId, cancellationToken);
    }

    private async Task ApplyAsync(PatientKey patient, Guid imageId, Func<ImageDocument?, ImageDocument?> change, CancellationToken cancellationToken, bool likelyNew = false)
    {
        ImageDocument? doc;
        try
        {
            doc = await store.UpdateImageAsync(patient, imageId.ToString("D"), change, cancellationToken, likelyNew);
        }
        catch (DocumentTooLargeException ex)
        {
            throw new PermanentEventFailureException("document-too-large: " + ex.Message, ex);
        }

        if (doc is not null)
        {
            LogCatalogued(logger, imageId, doc.Status ?? "stub");
        }
    }

    private async Task UndoIfErasedAsync(PatientKey patient, Guid imageId, CancellationToken cancellationToken)
    {
        if (await erased.IsErasedAsync(patient, cancellationToken))
        {
            await store.DeleteAsync(patient, imageId.ToString("D"), cancellationToken);
            await store.ForgetActivityAsync(patient, cancellationToken);
            LogUndone(logger, imageId);
        }
    }

    [LoggerMessage(LogLevel.Information, "Image {ImageId}: its patient was erased; the event's document is removed again")]
    private static partial void LogUndone(ILogger logger, Guid imageId);

    [LoggerMessage(LogLevel.Information, "Image {ImageId} catalogued as {Status}")]
    private static partial void LogCatalogued(ILogger logger, Guid imageId, string status);

    private static async Task<bool> ExistsAsync(Azure.Storage.Blobs.BlobClient blob, CancellationToken cancellationToken) =>
        (await blob.ExistsAsync(cancellationToken)).Value;
}

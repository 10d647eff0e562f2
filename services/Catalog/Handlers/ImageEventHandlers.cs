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
public sealed partial class ImageEventHandlers(DocumentStore store, ImageContainers containers, ErasedPatients erased, ILogger<ImageEventHandlers> logger)
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

    public async Task HandleAsync(PreviewsReady data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        var anyPreview = data.Previews.Values.FirstOrDefault();
        if (anyPreview is not null && await ExistsAsync(containers.Previews.GetBlobClient(anyPreview.BlobName), cancellationToken))
        {
            await ApplyAsync(data.Patient, data.ImageId, d => ImageDocumentReducer.Apply(d, data), cancellationToken);
            await UndoIfErasedAsync(data.Patient, data.ImageId, cancellationToken);
        }
    }

    public async Task HandleAsync(LargePreviewReady data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(containers.Previews.GetBlobClient(data.Preview.BlobName), cancellationToken))
        {
            await ApplyAsync(data.Patient, data.ImageId, d => ImageDocumentReducer.Apply(d, data), cancellationToken);
            await UndoIfErasedAsync(data.Patient, data.ImageId, cancellationToken);
        }
    }

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

    private async Task ApplyAsync(PatientKey patient, Guid imageId, Func<ImageDocument?, ImageDocument> change, CancellationToken cancellationToken, bool likelyNew = false)
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

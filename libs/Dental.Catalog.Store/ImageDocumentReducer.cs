using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;

namespace Dental.Catalog.Store;

/// <summary>
/// How each event changes an image document. Pure and order-tolerant: the same event twice changes
/// nothing the second time, and the status never moves backwards (ready/failed never return to processing).
/// </summary>
public static class ImageDocumentReducer
{
    public static ImageDocument Apply(ImageDocument? doc, ImageUploaded e, ImageText text)
    {
        var current = doc ?? Stub(e.ImageId, e.Patient);
        if (current.Uploaded)
        {
            return current;
        }

        return current with
        {
            Upload = e,
            Text = text,
            SortKey = SortKeyOf(e),
            Status = current.Status ?? ImageStatus.Processing,
            History = current.History with { ProcessingAt = current.History.ProcessingAt ?? e.UploadedAt },
        };
    }

    /// <summary>Newest first: the taken (else uploaded) time, then the id to break ties.</summary>
    public static string SortKeyOf(ImageUploaded upload) =>
        $"{(upload.TakenAt ?? upload.UploadedAt).UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}|{upload.ImageId:D}";

    public static ImageDocument Apply(ImageDocument? doc, PreviewsReady e) =>
        Finish(doc ?? Stub(e.ImageId, e.Patient), current => current with
        {
            Status = ImageStatus.Ready,
            Previews = Merged(current.Previews, e.Previews),
            Width = e.OriginalWidth,
            Height = e.OriginalHeight,
            Dicom = e.Dicom,
            History = current.History with { ReadyAt = e.CompletedAt },
        });

    /// <summary>The large preview is added whatever the status (it may even arrive before PreviewsReady); it never makes an image ready.</summary>
    public static ImageDocument Apply(ImageDocument? doc, LargePreviewReady e)
    {
        var current = doc ?? Stub(e.ImageId, e.Patient);
        return current.Previews?.GetValueOrDefault(PreviewSize.Large) == e.Preview
            ? current
            : current with { Previews = Merged(current.Previews, new Dictionary<string, PreviewInfo> { [PreviewSize.Large] = e.Preview }) };
    }

    public static ImageDocument Apply(ImageDocument? doc, ImageRejected e) =>
        Finish(doc ?? Stub(e.ImageId, e.Patient), current => current with
        {
            Status = ImageStatus.Failed,
            FailureReason = $"{e.Reason}: {e.Detail}",
            History = current.History with { FailedAt = e.RejectedAt },
        });

    /// <summary>The owners moved the image's blobs for the pending correction: the document takes their new names. Any other correction's report changes nothing.</summary>
    public static ImageDocument Apply(ImageDocument? doc, ImageCorrection e)
    {
        if (doc?.Correction?.Id != e.CorrectionId || doc.Upload is null)
        {
            return doc!;
        }

        string Moved(string name) => BlobNames.Moved(name, e.FromPrefix, e.ToPrefix);
        return doc with
        {
            Upload = doc.Upload with { BlobName = Moved(doc.Upload.BlobName) },
            Previews = doc.Previews?.ToDictionary(p => p.Key, p => p.Value with { BlobName = Moved(p.Value.BlobName) }),
            Correction = null,
        };
    }

    /// <summary>A variant follows its original's correction: the original's tooth, type and notation, and the blob names the owners moved it to.</summary>
    public static ImageDocument Follow(ImageDocument variant, ImageCorrection e)
    {
        if (variant.Upload is not { } upload || (upload.Tooth == e.Tooth && upload.Type == e.Type && upload.Notation == e.Notation))
        {
            return variant;
        }

        string Moved(string name) => BlobNames.Moved(name, e.FromPrefix, e.ToPrefix);
        return variant with
        {
            Upload = upload with { Tooth = e.Tooth, Type = e.Type, Notation = e.Notation, BlobName = Moved(upload.BlobName) },
            Previews = variant.Previews?.ToDictionary(p => p.Key, p => p.Value with { BlobName = Moved(p.Value.BlobName) }),
        };
    }

    public static ImageDocument Delete(ImageDocument doc, DateTimeOffset at) =>
        doc.DeletedAt is not null ? doc : doc with { DeletedAt = at, History = doc.History with { DeletedAt = at } };

    public static ImageDocument Restore(ImageDocument doc, DateTimeOffset at) =>
        doc.DeletedAt is null ? doc : doc with { DeletedAt = null, History = doc.History with { RestoredAt = at } };

    private static Dictionary<string, PreviewInfo> Merged(IReadOnlyDictionary<string, PreviewInfo>? current, IReadOnlyDictionary<string, PreviewInfo> added)
    {
        var merged = new Dictionary<string, PreviewInfo>(current ?? new Dictionary<string, PreviewInfo>());
        foreach (var (size, preview) in added)
        {
            merged[size] = preview;
        }

        return merged;
    }

    /// <summary>
    /// Whether <paramref name="doc"/> proves that <paramref name="previews"/> are stored: it is the uploaded image (not a stub), no
    /// correction is moving its blobs, no purge is removing them, and each preview has the name the upload gives it.
    /// </summary>
    public static bool VouchesFor(ImageDocument? doc, IReadOnlyDictionary<string, PreviewInfo> previews) =>
        doc is { Upload: { } upload, Correction: null, PurgingAt: null }
        && previews.All(p => p.Value.BlobName == upload.PreviewName(p.Key));

    /// <summary>Ready and failed are final: whichever outcome arrives first stays.</summary>
    private static ImageDocument Finish(ImageDocument current, Func<ImageDocument, ImageDocument> outcome) =>
        current.Status is ImageStatus.Ready or ImageStatus.Failed ? current : outcome(current);

    private static ImageDocument Stub(Guid imageId, PatientKey patient) =>
        new() { Id = imageId.ToString("D"), PartitionKey = patient.Path, ClinicId = patient.ClinicId, PatientId = patient.PatientId };
}

using System.Security.Claims;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;

namespace Dental.Catalog.Api;

internal static class ImageMapping
{
    /// <summary>
    /// What the upload recorded as corrected since, plus what the Catalog learned (status, upright size, previews, DICOM attributes) and
    /// what the clinic added (tags, metadata, history). The file name, note and metadata are shown only to roles that may read free text
    /// (an auditor sees none of them).
    /// </summary>
    public static ImageResource ToResource(this ImageDocument doc, ClaimsPrincipal user, IEnumerable<ImageDocument>? variants = null)
    {
        var readsText = Policies.Admits(Policies.ReadText, user);
        return ImageResource.From(doc.Upload!, readsText ? doc.Text ?? ImageText.None : ImageText.None) with
        {
            Status = doc.DeletedAt is not null ? ImageStatus.Deleted : doc.Status,
            FailureReason = doc.FailureReason,
            Width = doc.Width > 0 ? doc.Width : doc.Upload!.Width,
            Height = doc.Height > 0 ? doc.Height : doc.Upload!.Height,
            Previews = doc.Previews?.ToDictionary(p => p.Key, p => new PreviewResource(p.Value.Width, p.Value.Height, p.Value.SizeBytes)),
            Dicom = doc.Dicom,
            BlobPath = BlobNames.PublicPath(BlobNames.OriginalsContainer, doc.CurrentOriginalName),
            Tags = doc.Tags ?? [],
            Metadata = readsText ? doc.Metadata ?? [] : null,
            History = doc.Changes ?? [],
            Variants = [.. (variants ?? []).Where(v => v.Upload?.Variant?.Of == doc.Upload!.ImageId && v.DeletedAt is null).Select(Summary)],
        };
    }

    /// <summary>Each image with its own variants, read in one query for all of them.</summary>
    public static async Task<List<ImageResource>> ToResourcesAsync(
        this IReadOnlyCollection<ImageDocument> docs, DocumentStore store, PatientKey patient, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var originals = docs.Where(d => d.Upload is { Variant: null }).Select(d => d.Upload!.ImageId).ToList();
        var variants = await store.VariantsOfAsync(patient, originals, cancellationToken);
        return [.. docs.Select(d => d.ToResource(user, variants))];
    }

    /// <summary>One image with its variants.</summary>
    public static async Task<ImageResource> ToResourceAsync(this ImageDocument doc, DocumentStore store, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await new[] { doc }.ToResourcesAsync(store, doc.Patient, user, cancellationToken))[0];

    private static VariantSummary Summary(ImageDocument variant) => new(
        variant.Upload!.ImageId,
        variant.Upload.Variant!.Kind,
        variant.Upload.Variant.Producer,
        variant.Status,
        variant.Previews?.ToDictionary(p => p.Key, p => new PreviewResource(p.Value.Width, p.Value.Height, p.Value.SizeBytes)));
}

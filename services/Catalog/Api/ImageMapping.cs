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
    public static ImageResource ToResource(this ImageDocument doc, ClaimsPrincipal user)
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
        };
    }
}

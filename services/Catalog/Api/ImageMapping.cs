using System.Security.Claims;
using Dental.Catalog.Store;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;

namespace Dental.Catalog.Api;

internal static class ImageMapping
{
    /// <summary>
    /// What the upload recorded, plus what the Catalog learned since (status, upright size, previews, DICOM attributes). The file name and note
    /// are shown only to roles that may read them (an auditor sees neither).
    /// </summary>
    public static ImageResource ToResource(this ImageDocument doc, ClaimsPrincipal user) =>
        ImageResource.From(doc.Upload!, Policies.Admits(Policies.ReadText, user) ? doc.Text ?? ImageText.None : ImageText.None) with
    {
        Status = doc.DeletedAt is not null ? ImageStatus.Deleted : doc.Status,
        FailureReason = doc.FailureReason,
        Width = doc.Width > 0 ? doc.Width : doc.Upload!.Width,
        Height = doc.Height > 0 ? doc.Height : doc.Upload!.Height,
        Previews = doc.Previews?.ToDictionary(p => p.Key, p => new PreviewResource(p.Value.Width, p.Value.Height, p.Value.SizeBytes)),
        Dicom = doc.Dicom,
    };
}

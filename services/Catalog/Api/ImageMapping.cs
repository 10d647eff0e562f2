using Dental.Catalog.Documents;
using Dental.Contracts;
using Dental.Contracts.Api;

namespace Dental.Catalog.Api;

internal static class ImageMapping
{
    public static ImageResource ToResource(this ImageDocument doc) => new()
    {
        Id = Guid.Parse(doc.Id),
        PatientId = doc.PatientId,
        Tooth = doc.Tooth!,
        Notation = doc.Notation!,
        Type = doc.Type!,
        Status = doc.DeletedAt is not null ? ImageStatus.Deleted : doc.Status,
        FailureReason = doc.FailureReason,
        ContentType = doc.ContentType!,
        SizeBytes = doc.SizeBytes,
        Sha256 = doc.Sha256!,
        Width = doc.Width,
        Height = doc.Height,
        OriginalFileName = doc.OriginalFileName,
        BlobPath = BlobNames.PublicPath(BlobNames.OriginalsContainer, doc.BlobName!),
        Previews = doc.Previews?.ToDictionary(p => p.Key, p => new PreviewResource(p.Value.Width, p.Value.Height, p.Value.SizeBytes)),
        UploadedAt = doc.UploadedAt ?? default,
        UploadedBy = doc.UploadedBy!,
        TakenAt = doc.TakenAt,
        Note = doc.Note,
    };
}

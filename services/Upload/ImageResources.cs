using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;

namespace Dental.Upload;

internal static class ImageResources
{
    public static ImageResource From(ImageUploaded image, string? status, bool duplicate) => new()
    {
        Id = image.ImageId,
        PatientId = image.PatientId,
        Tooth = image.Tooth,
        Notation = image.Notation,
        Type = image.Type,
        Status = status,
        ContentType = image.ContentType,
        SizeBytes = image.SizeBytes,
        Sha256 = image.Sha256,
        Width = image.Width,
        Height = image.Height,
        OriginalFileName = image.OriginalFileName,
        BlobPath = BlobNames.PublicPath(BlobNames.OriginalsContainer, image.BlobName),
        UploadedAt = image.UploadedAt,
        UploadedBy = image.UploadedBy,
        TakenAt = image.TakenAt,
        Note = image.Note,
        Duplicate = duplicate,
    };
}

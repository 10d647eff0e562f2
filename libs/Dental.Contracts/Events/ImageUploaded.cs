namespace Dental.Contracts.Events;

/// <summary>An original is durable in Blob Storage and awaits previews and cataloguing.</summary>
public sealed record ImageUploaded(
    Guid ImageId,
    string PatientId,
    string Tooth,
    string Notation,
    string Type,
    string BlobName,
    long SizeBytes,
    string ContentType,
    string Sha256,
    int Width,
    int Height,
    string? OriginalFileName,
    string UploadedBy,
    DateTimeOffset UploadedAt,
    DateTimeOffset? TakenAt,
    string? Note)
{
    public const string EventType = "dental.image.uploaded";
}

namespace Dental.Contracts.Events;

/// <summary>An original is durable in Blob Storage and awaits previews and cataloguing. Ids and facts only: the client's file name and note stay on the original (<see cref="Api.ImageText"/>).</summary>
public sealed record ImageUploaded(
    Guid ImageId,
    string ClinicId,
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
    string UploadedBy,
    DateTimeOffset UploadedAt,
    DateTimeOffset? TakenAt)
{
    public const string EventType = "dental.image.uploaded";

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);
}

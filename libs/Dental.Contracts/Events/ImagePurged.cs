namespace Dental.Contracts.Events;

/// <summary>
/// An image soft-deleted longer than the retention period is purged for good: the Upload service removes its original and
/// dedupe record, the Thumbnailer its previews. The Catalog announces it before it removes the document.
/// </summary>
public sealed record ImagePurged(Guid ImageId, string ClinicId, string PatientId, string Tooth, string Type, string BlobName, string Sha256, DateTimeOffset PurgedAt)
{
    public const string EventType = "dental.image.purged";

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);
}

namespace Dental.Contracts.Events;

/// <summary>
/// Repair's backfill: the <c>large</c> viewing preview of an image stored before it existed (new images get it with their
/// other previews). Kept on a topic of its own so it never delays a render that makes an image ready.
/// </summary>
public sealed record LargePreviewRequested(Guid ImageId, string ClinicId, string PatientId, string Tooth, string Type, string BlobName)
{
    public const string EventType = "dental.image.large-preview-requested";

    public static LargePreviewRequested For(ImageUploaded image) =>
        new(image.ImageId, image.ClinicId, image.PatientId, image.Tooth, image.Type, image.BlobName);

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);
}

/// <summary>A backfilled <c>large</c> preview of an image has been written, rendered from the original at <paramref name="OriginalBlobName"/>.</summary>
public sealed record LargePreviewReady(Guid ImageId, string ClinicId, string PatientId, PreviewInfo Preview, string OriginalBlobName, DateTimeOffset CompletedAt)
{
    public const string EventType = "dental.image.large-preview-ready";

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);
}

/// <summary>
/// The Catalog found a <c>large</c> preview written after its image moved or was purged (its original is no longer at the name
/// it was rendered from): the Thumbnailer, its owner, takes it back.
/// </summary>
public sealed record LargePreviewOrphaned(Guid ImageId, string ClinicId, string PatientId, string PreviewBlobName, string OriginalBlobName)
{
    public const string EventType = "dental.image.large-preview-orphaned";

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);

    public static LargePreviewOrphaned Of(LargePreviewReady ready) =>
        new(ready.ImageId, ready.ClinicId, ready.PatientId, ready.Preview.BlobName, ready.OriginalBlobName);
}

namespace Dental.Contracts.Events;

/// <summary>
/// A correction of an image's tooth, type or taken time, carried out by each owner of its blobs in turn, on the
/// <see cref="Topics.Patients"/> topic: the Catalog asks (<see cref="Requested"/>), the Upload service moves the original
/// (and rewrites its metadata) and says so (<see cref="OriginalMoved"/>), the Thumbnailer moves the previews and says so
/// (<see cref="PreviewsMoved"/>), and the Catalog records the new blob names. Each step is idempotent; the Catalog asks
/// again for a correction that has not come back.
/// </summary>
public sealed record ImageCorrection(
    Guid ImageId,
    string ClinicId,
    string PatientId,
    Guid CorrectionId,
    string FromTooth,
    string FromType,
    string Tooth,
    string Notation,
    string Type,
    DateTimeOffset? TakenAt)
{
    public const string Requested = "dental.image.correction-requested";
    public const string OriginalMoved = "dental.image.original-moved";
    public const string PreviewsMoved = "dental.image.previews-moved";

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);

    /// <summary>Whether the image's blobs change name (its tooth or type changed), not only their metadata.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Moves => FromTooth != Tooth || FromType != Type;

    /// <summary>Where the image's blobs were (originals: the original and its variants; previews: below it with a '/').</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string FromPrefix => BlobNames.ImagePrefix(Patient, FromTooth, FromType, ImageId);

    [System.Text.Json.Serialization.JsonIgnore]
    public string ToPrefix => BlobNames.ImagePrefix(Patient, Tooth, Type, ImageId);

    /// <summary>One event id per step of one correction, so a repeated step is recognised as the same event.</summary>
    public string EventId(string step) => $"{ImageId:D}:{CorrectionId:D}:{step}";
}

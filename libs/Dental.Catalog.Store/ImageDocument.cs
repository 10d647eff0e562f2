using System.Text.Json.Serialization;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Contracts.Imaging;

namespace Dental.Catalog.Store;

/// <summary>
/// One image's metadata in Cosmos DB (partition /partitionKey: the patient inside its clinic). Never image bytes. Built up by events in
/// any order: a PreviewsReady that arrives first leaves a hidden stub that ImageUploaded completes.
/// What the upload recorded is kept as the event itself (<see cref="Upload"/>), so a new field of the
/// event reaches the document, the API and a reprocessing without being copied field by field.
/// </summary>
public sealed record ImageDocument
{
    public const string Kind = "image";

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The Cosmos DB partition key: the patient inside its clinic ({clinicId}/{patientId}).</summary>
    public required string PartitionKey { get; init; }

    public required string ClinicId { get; init; }

    public required string PatientId { get; init; }

    public string DocType { get; init; } = Kind;

    /// <summary>The upload's facts as corrected since (tooth, notation, type, taken time; the blob name once moved); null for a stub made by an early PreviewsReady/ImageRejected, hidden until ImageUploaded arrives.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImageUploaded? Upload { get; init; }

    /// <summary>The client's file name and note, read from the original when ImageUploaded is applied (events carry no free text).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImageText? Text { get; init; }

    /// <summary>Upright pixel size measured by the Thumbnailer (EXIF orientation applied); 0 until then.</summary>
    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>A DICOM original's allow-listed technical attributes, measured by the Thumbnailer; null for other formats.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DicomFacts? Dicom { get; init; }

    /// <summary>Newest-first ordering key: the taken (else uploaded) time, then the id to break ties.</summary>
    public string? SortKey { get; init; }

    /// <summary>processing, ready or failed; "deleted" is shown while <see cref="DeletedAt"/> is set.</summary>
    public string? Status { get; init; }
    public string? FailureReason { get; init; }
    public Dictionary<string, PreviewInfo>? Previews { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>Set when the retention purge has begun: the image can no longer be restored, and the purge finishes it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? PurgingAt { get; init; }

    public StatusHistory History { get; init; } = new();

    /// <summary>The clinic's labels (lower-case, bounded by <see cref="ImageEdits"/>); what <c>?tag=</c> filters on.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Tags { get; init; }

    /// <summary>The clinic's own key/value facts (string values, bounded by <see cref="ImageEdits"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>Who changed what and when, oldest first (the newest <see cref="ImageEdits.MaxChanges"/> kept).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ImageChange>? Changes { get; init; }

    /// <summary>A correction whose blobs are being moved by their owners; null once they all have.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PendingCorrection? Correction { get; init; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    [JsonIgnore]
    public bool Uploaded => Upload is not null;

    /// <summary>The original's name, or during a correction the name it is being moved to (where it is found once moved).</summary>
    [JsonIgnore]
    public string CurrentOriginalName => MovedName(Upload!.BlobName);

    /// <summary>Where a blob of this image is: at its recorded name, or once a pending correction moved it, under the new prefix.</summary>
    public IEnumerable<string> WhereToFind(string recordedName) =>
        Correction is null ? [recordedName] : [recordedName, MovedName(recordedName)];

    private string MovedName(string name) => Correction is { } pending && Upload is { } upload
        ? BlobNames.Moved(name, BlobNames.ImagePrefix(Patient, pending.FromTooth, pending.FromType, upload.ImageId), BlobNames.ImagePrefix(Patient, upload.Tooth, upload.Type, upload.ImageId))
        : name;

    [JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);
}

/// <summary>
/// A correction in flight: the document already shows the new tooth and type; its blobs are still at <see cref="FromPrefix"/>
/// until the owners report them moved (<see cref="ImageCorrection.PreviewsMoved"/>).
/// </summary>
public sealed record PendingCorrection(Guid Id, string FromTooth, string FromType, DateTimeOffset RequestedAt);

public sealed record StatusHistory
{
    public DateTimeOffset? ProcessingAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
    public DateTimeOffset? RestoredAt { get; init; }
}

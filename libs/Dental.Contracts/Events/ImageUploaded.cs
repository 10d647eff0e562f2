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

    /// <summary>Set when the image is a variant of another (annotated, heatmap, segmentation); null for an original.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public VariantFacts? Variant { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);

    /// <summary>Where a preview of this image is written: beside the original's, in a folder of its own for a variant.</summary>
    public string PreviewName(string size) => Variant is { } variant
        ? $"{BlobNames.PreviewsOf(Patient, Tooth, Type, variant.Of)}{ImageId:D}/{size}.jpg"
        : BlobNames.Preview(Patient, Tooth, Type, ImageId, size);
}

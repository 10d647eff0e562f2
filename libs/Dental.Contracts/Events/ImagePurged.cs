namespace Dental.Contracts.Events;

/// <summary>
/// An image soft-deleted longer than the retention period is purged for good: the Upload service removes its original and
/// dedupe record, the Thumbnailer its previews. The Catalog announces it before it removes the document.
/// </summary>
public sealed record ImagePurged(Guid ImageId, string ClinicId, string PatientId, string Tooth, string Type, string BlobName, string Sha256, DateTimeOffset PurgedAt)
{
    public const string EventType = "dental.image.purged";

    /// <summary>Set when the purged image is a variant (its previews live in a folder under its original's).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public VariantFacts? Variant { get; init; }

    /// <summary>The prefix under which every preview of the purged image lives.</summary>
    public string PreviewPrefix() => Variant is { } variant
        ? $"{BlobNames.PreviewsOf(Patient, Tooth, Type, variant.Of)}{ImageId:D}/"
        : BlobNames.PreviewsOf(Patient, Tooth, Type, ImageId);

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);
}

namespace Dental.Contracts.Events;

public sealed record PreviewInfo(string BlobName, int Width, int Height, long SizeBytes);

/// <summary>Every configured preview size of an image has been written.</summary>
public sealed record PreviewsReady(
    Guid ImageId,
    string ClinicId,
    string PatientId,
    int OriginalWidth,
    int OriginalHeight,
    IReadOnlyDictionary<string, PreviewInfo> Previews,
    DateTimeOffset CompletedAt,
    Imaging.DicomFacts? Dicom = null)
{
    public const string EventType = "dental.image.previews-ready";

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);
}

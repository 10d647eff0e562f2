namespace Dental.Contracts.Events;

public static class RejectionReason
{
    public const string Corrupt = "corrupt";
    public const string Unsupported = "unsupported";
    public const string TooLarge = "too-large";
}

/// <summary>An original could not be turned into previews; it stays stored but is marked failed.</summary>
public sealed record ImageRejected(
    Guid ImageId,
    string ClinicId,
    string PatientId,
    string BlobName,
    string Reason,
    string Detail,
    DateTimeOffset RejectedAt)
{
    public const string EventType = "dental.image.rejected";

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);
}

namespace Dental.Contracts.Events;

/// <summary>
/// A patient was erased from the catalog and the image containers: every service that keeps its own
/// records about the patient removes them (the Upload service its dedupe and idempotency records).
/// </summary>
public sealed record PatientErased(string ClinicId, string PatientId, DateTimeOffset ErasedAt)
{
    public const string EventType = "dental.patient.erased";

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);
}

namespace Dental.Contracts.Events;

/// <summary>
/// A clinic's admin asked to erase a patient, and the Catalog has set the patient's tombstone: every service erases
/// what it stores about the patient (its blobs with their versions and snapshots, its records, its dead letters about
/// the patient), sets a tombstone of its own so nothing late brings the patient back, and reports with
/// <see cref="ErasureReported"/>. Delivered again when the erasure is requested again; handling it twice is harmless.
/// </summary>
public sealed record PatientErased(string ClinicId, string PatientId, DateTimeOffset ErasedAt)
{
    public const string EventType = "dental.patient.erased";

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);
}

namespace Dental.Contracts.Events;

/// <summary>
/// One service has erased what it stores about a patient: <paramref name="Removed"/> counts what it removed by kind
/// (for example originals, blobVersions, uploadRecords, deadLetters). The Catalog adds it to the erasure receipt.
/// </summary>
public sealed record PatientErasureReported(string ClinicId, string PatientId, string Owner, IReadOnlyDictionary<string, int> Removed, DateTimeOffset ErasedAt)
{
    public const string EventType = "dental.patient.erasure-reported";

    [System.Text.Json.Serialization.JsonIgnore]
    public PatientKey Patient => new(ClinicId, PatientId);
}

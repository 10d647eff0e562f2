namespace Dental.Contracts.Events;

/// <summary>
/// One service has erased what it stores in an erasure's scope (a patient, or with <paramref name="PatientId"/> null a whole
/// clinic): <paramref name="Removed"/> counts what it removed by kind (originals, previews, uploadRecords, documents,
/// deadLetters, and earlier blob copies). The Catalog adds it to the erasure receipt.
/// </summary>
public sealed record ErasureReported(string ClinicId, string? PatientId, string Owner, IReadOnlyDictionary<string, int> Removed, DateTimeOffset ErasedAt)
{
    public const string EventType = "dental.erasure.reported";

    [System.Text.Json.Serialization.JsonIgnore]
    public ErasureScope Scope => new(ClinicId, PatientId);
}

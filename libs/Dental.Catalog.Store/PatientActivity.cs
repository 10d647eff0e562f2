using System.Text.Json.Serialization;
using Dental.Contracts;
using Microsoft.Azure.Cosmos;

namespace Dental.Catalog.Store;

/// <summary>
/// When a patient's images last changed (an upload, a delete, a restore), one document per patient in its clinic's own
/// partition (/partitionKey = {clinicId}), so "the clinic's recently active patients" is one single-partition query.
/// Only ever moves forward: a late or repeated event never makes a patient look less recent.
/// </summary>
public sealed record PatientActivity
{
    public const string Kind = "patient-activity";

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    public required string PartitionKey { get; init; }

    public required string ClinicId { get; init; }

    public required string PatientId { get; init; }

    public string DocType { get; init; } = Kind;

    public required DateTimeOffset LastActivityAt { get; init; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    public static string IdOf(PatientKey patient) => $"activity-{patient.PatientId}";

    public static PartitionKey PartitionOf(string clinicId) => new(clinicId);

    public static PatientActivity For(PatientKey patient, DateTimeOffset at) => new()
    {
        Id = IdOf(patient),
        PartitionKey = patient.ClinicId,
        ClinicId = patient.ClinicId,
        PatientId = patient.PatientId,
        LastActivityAt = at,
    };

    /// <summary>The clinic's most recently active patients, newest first (the emulator ignores the partition key in queries: the filter keeps it to the clinic).</summary>
    public static QueryDefinition Recent(string clinicId, int count) => new QueryDefinition(
            "SELECT TOP @count * FROM c WHERE c.partitionKey = @clinic AND c.docType = @kind ORDER BY c.lastActivityAt DESC")
        .WithParameter("@count", count)
        .WithParameter("@clinic", clinicId)
        .WithParameter("@kind", Kind);
}

using System.Text.Json.Serialization;

namespace Dental.Catalog.Documents;

/// <summary>
/// The patient's dental chart counts: visible images per tooth and type. Changed only by
/// ETag-conditioned writes that also record the operation id, so a redelivered change is applied once.
/// </summary>
public sealed record SummaryDocument
{
    public const string DocumentId = "summary";
    public const int RememberedOperations = 300;

    [JsonPropertyName("id")]
    public string Id { get; init; } = DocumentId;

    public required string PatientId { get; init; }

    public string DocType { get; init; } = "summary";

    /// <summary>tooth → type → count.</summary>
    public Dictionary<string, Dictionary<string, int>> Counts { get; init; } = [];

    public int Total { get; init; }

    public DateTimeOffset? LastUploadAt { get; init; }

    /// <summary>Ids of the most recent changes applied (bounded), for exactly-once counting under redelivery.</summary>
    public List<string> AppliedOperations { get; init; } = [];

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }
}

using System.Text.Json.Serialization;
using Dental.Contracts.Events;

namespace Dental.Catalog.Documents;

/// <summary>
/// One image's metadata in Cosmos DB (partition /patientId). Never image bytes. Built up by events in
/// any order: a PreviewsReady that arrives first leaves a hidden stub that ImageUploaded completes.
/// </summary>
public sealed record ImageDocument
{
    public const string Kind = "image";

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    public required string PatientId { get; init; }

    public string DocType { get; init; } = Kind;

    /// <summary>False for a stub made by an early PreviewsReady/ImageRejected; hidden until ImageUploaded arrives.</summary>
    public bool Uploaded { get; init; }

    public string? Tooth { get; init; }
    public string? Notation { get; init; }
    public string? Type { get; init; }
    public string? BlobName { get; init; }
    public string? ContentType { get; init; }
    public long SizeBytes { get; init; }
    public string? Sha256 { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public string? OriginalFileName { get; init; }
    public string? UploadedBy { get; init; }
    public DateTimeOffset? UploadedAt { get; init; }
    public DateTimeOffset? TakenAt { get; init; }
    public string? Note { get; init; }

    /// <summary>Newest-first ordering key: the taken (else uploaded) time, then the id to break ties.</summary>
    public string? SortKey { get; init; }

    /// <summary>processing, ready or failed; "deleted" is shown while <see cref="DeletedAt"/> is set.</summary>
    public string? Status { get; init; }
    public string? FailureReason { get; init; }
    public Dictionary<string, PreviewInfo>? Previews { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
    public StatusHistory History { get; init; } = new();

    /// <summary>The (tooth, type) this image currently adds to the patient summary, or null.</summary>
    public string? CountedAs { get; init; }

    /// <summary>A summary change begun but not known to be finished (see <see cref="Persistence.SummaryReconciler"/>).</summary>
    public PendingCount? PendingCount { get; init; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    /// <summary>What the summary should count this image as: visible (uploaded, not deleted) images by tooth and type.</summary>
    [JsonIgnore]
    public string? ShouldCountAs => Uploaded && DeletedAt is null ? $"{Tooth}/{Type}" : null;
}

public sealed record StatusHistory
{
    public DateTimeOffset? ProcessingAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
    public DateTimeOffset? RestoredAt { get; init; }
}

public sealed record PendingCount(string OperationId, string? From, string? To);

using System.Text.Json.Serialization;
using Dental.Contracts;
using Dental.Contracts.Events;
using Microsoft.Azure.Cosmos;

namespace Dental.Catalog.Store;

/// <summary>
/// A patient's erasure, or a clinic's offboarding (<see cref="PatientId"/> null): the Catalog's tombstone (set before anyone
/// erases, never removed) and the receipt the owners fill in. Kept in the clinic's partition (/partitionKey = {clinicId}),
/// apart from the patients' partitions that the erasure empties. Holds the opaque ids, who asked and when, and counts.
/// </summary>
public sealed record ErasureRecord
{
    public const string Kind = "erasure";

    /// <summary>Every service that stores something about a patient, each of which reports its part.</summary>
    public static readonly IReadOnlyList<string> Owners = ["catalog", "upload", "thumbnailer"];

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    public required string PartitionKey { get; init; }

    public required string ClinicId { get; init; }

    /// <summary>The erased patient; null when the whole clinic was offboarded.</summary>
    public string? PatientId { get; init; }

    public string DocType { get; init; } = Kind;

    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>Who asked first: the admin's token subject, or the operator (opaque ids).</summary>
    public required string RequestedBy { get; init; }

    /// <summary>How often the erasure was asked for (a repeat while it runs announces it again: that resumes it).</summary>
    public int Requests { get; init; } = 1;

    /// <summary>What each owner removed, summed over its reports (a repeated run finds nothing and adds zeros).</summary>
    public Dictionary<string, OwnerErasure> Reports { get; init; } = [];

    /// <summary>The reports applied, by event id, so a report delivered twice counts once.</summary>
    public List<string> AppliedReports { get; init; } = [];

    public DateTimeOffset? CompletedAt { get; init; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    [JsonIgnore]
    public bool Completed => CompletedAt is not null;

    /// <summary>"erasure-{patientId}" for a patient; "clinic-erasure" for the clinic, which no patient's id can produce.</summary>
    public static string IdOf(ErasureScope scope) => scope.PatientId is { } patientId ? $"erasure-{patientId}" : "clinic-erasure";

    public static PartitionKey PartitionOf(string clinicId) => new(clinicId);

    /// <summary>
    /// The record once the erasure is asked for (again): a new one, or the running one counting one more request (announcing it
    /// again resumes it), or the completed one unchanged.
    /// </summary>
    public static ErasureRecord Requested(ErasureRecord? current, ErasureScope scope, string requestedBy, DateTimeOffset at) =>
        current is null ? Start(scope, requestedBy, at) : current.Completed ? current : current with { Requests = current.Requests + 1 };

    private static ErasureRecord Start(ErasureScope scope, string requestedBy, DateTimeOffset at) => new()
    {
        Id = IdOf(scope),
        PartitionKey = scope.ClinicId,
        ClinicId = scope.ClinicId,
        PatientId = scope.PatientId,
        RequestedAt = at,
        RequestedBy = requestedBy,
    };

    /// <summary>Adds one owner's report (once per report id); the erasure is complete once every owner has reported.</summary>
    public ErasureRecord WithReport(string reportId, ErasureReported report)
    {
        if (AppliedReports.Contains(reportId))
        {
            return this;
        }

        var removed = Reports.TryGetValue(report.Owner, out var earlier) ? new Dictionary<string, int>(earlier.Removed) : [];
        foreach (var (kind, count) in report.Removed)
        {
            removed[kind] = removed.GetValueOrDefault(kind) + count;
        }

        var reports = new Dictionary<string, OwnerErasure>(Reports) { [report.Owner] = new OwnerErasure(removed, report.ErasedAt) };
        return this with
        {
            Reports = reports,
            AppliedReports = [.. AppliedReports, reportId],
            CompletedAt = CompletedAt ?? (Owners.All(reports.ContainsKey) ? reports.Values.Max(r => r.ErasedAt) : null),
        };
    }
}

/// <summary>One owner's part of an erasure: what it removed, by kind, and when it last finished.</summary>
public sealed record OwnerErasure(Dictionary<string, int> Removed, DateTimeOffset ErasedAt);

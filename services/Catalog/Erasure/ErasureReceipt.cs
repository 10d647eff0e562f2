using System.ComponentModel.DataAnnotations;
using Dental.Catalog.Store;

namespace Dental.Catalog.Erasure;

/// <summary>
/// A patient's erasure as the API shows it: who asked and when, what each service removed (counts by kind) and when it
/// finished, the services still working, and, once none is left, when it completed.
/// </summary>
public sealed record ErasureReceipt(
    string PatientId,
    [property: AllowedValues(ErasureReceipt.Erasing, ErasureReceipt.Completed)] string Status,
    DateTimeOffset RequestedAt,
    string RequestedBy,
    int Requests,
    DateTimeOffset? CompletedAt,
    IReadOnlyDictionary<string, int> Removed,
    IReadOnlyDictionary<string, OwnerErasure> Owners,
    IReadOnlyList<string> Pending)
{
    public const string Erasing = "erasing";
    public const string Completed = "completed";

    public static ErasureReceipt From(ErasureRecord record) => new(
        // Only patients' erasures are served (a clinic's offboarding is the operator's, through its tool).
        record.PatientId!,
        record.Completed ? Completed : Erasing,
        record.RequestedAt,
        record.RequestedBy,
        record.Requests,
        record.CompletedAt,
        record.Reports.Values.SelectMany(r => r.Removed).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Value)),
        record.Reports,
        [.. ErasureRecord.Owners.Where(owner => !record.Reports.ContainsKey(owner))]);
}

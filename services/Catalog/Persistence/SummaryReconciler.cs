using Dental.Catalog.Documents;

namespace Dental.Catalog.Persistence;

/// <summary>
/// Keeps the patient summary equal to what the image documents say, exactly once per change even under
/// redelivery and crashes. Cross-document transactions are not available (nor in the emulator), so a
/// change is a small protocol: (1) the image records a pending change with a fresh operation id;
/// (2) the summary applies it with an ETag-conditioned write that also remembers the operation id,
/// so applying it again is a no-op; (3) the image records the change as done. A crash anywhere is
/// finished by the next delivery of any event for that image.
/// </summary>
public sealed class SummaryReconciler(DocumentStore store)
{
    public async Task ReconcileAsync(ImageDocument document, CancellationToken cancellationToken)
    {
        var doc = document;
        while (doc.PendingCount is not null || doc.ShouldCountAs != doc.CountedAs)
        {
            var pending = doc.PendingCount;
            if (pending is null)
            {
                var started = await store.UpdateImageAsync(doc.PatientId, doc.Id, d => d is null || d.PendingCount is not null || d.ShouldCountAs == d.CountedAs
                    ? d
                    : d with { PendingCount = new PendingCount(Guid.NewGuid().ToString("N")[..16], d.CountedAs, d.ShouldCountAs) }, cancellationToken);
                if (started?.PendingCount is null)
                {
                    return;
                }

                doc = started;
                pending = started.PendingCount;
            }

            var uploadedAt = doc.UploadedAt;
            await store.UpdateAsync<SummaryDocument>(
                doc.PatientId,
                SummaryDocument.DocumentId,
                s => Apply(s ?? new SummaryDocument { PatientId = doc.PatientId }, pending, uploadedAt),
                s => s.ETag,
                cancellationToken);

            doc = await store.UpdateImageAsync(doc.PatientId, doc.Id, d => d?.PendingCount?.OperationId == pending.OperationId
                ? d with { CountedAs = pending.To, PendingCount = null }
                : d, cancellationToken) ?? doc with { PendingCount = null, CountedAs = doc.ShouldCountAs };
        }
    }

    public static SummaryDocument Apply(SummaryDocument summary, PendingCount change, DateTimeOffset? uploadedAt)
    {
        if (summary.AppliedOperations.Contains(change.OperationId))
        {
            return summary;
        }

        var counts = summary.Counts.ToDictionary(t => t.Key, t => new Dictionary<string, int>(t.Value));
        var total = summary.Total;
        if (change.From is not null)
        {
            total -= Add(counts, change.From, -1);
        }

        if (change.To is not null)
        {
            total += Add(counts, change.To, +1);
        }

        var applied = summary.AppliedOperations.Append(change.OperationId).TakeLast(SummaryDocument.RememberedOperations).ToList();
        var last = change.To is not null && uploadedAt > (summary.LastUploadAt ?? DateTimeOffset.MinValue) ? uploadedAt : summary.LastUploadAt;
        return summary with { Counts = counts, Total = total, AppliedOperations = applied, LastUploadAt = last };
    }

    /// <summary>Adds <paramref name="delta"/> to tooth/type; returns how much the total changed (never below zero).</summary>
    private static int Add(Dictionary<string, Dictionary<string, int>> counts, string key, int delta)
    {
        var (tooth, type) = (key[..key.IndexOf('/', StringComparison.Ordinal)], key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        var byType = counts.TryGetValue(tooth, out var existing) ? existing : counts[tooth] = [];
        var value = Math.Max(0, byType.GetValueOrDefault(type) + delta);
        var changed = value - byType.GetValueOrDefault(type);
        if (value == 0)
        {
            byType.Remove(type);
            if (byType.Count == 0)
            {
                counts.Remove(tooth);
            }
        }
        else
        {
            byType[type] = value;
        }

        return Math.Abs(changed);
    }
}

using System.Collections.Concurrent;
using Dental.Contracts;

namespace Dental.AzureClients;

/// <summary>
/// Answers "was this patient erased, or their clinic offboarded?" from a service's own tombstones (<paramref name="isSet"/>
/// reads one). Tombstones are never removed, so "erased" answers are kept for good; "not erased" answers, about a patient
/// or a clinic, are kept for <see cref="Recheck"/>: one read per patient (and per clinic) and period, not one per write, so
/// the uploads of one session cost one read. Every erasure waits that long after setting its tombstone before it looks for
/// what to erase, so whatever a stale answer let through is found.
/// </summary>
public sealed class TombstoneCache(Func<ErasureScope, CancellationToken, Task<bool>> isSet, TimeProvider time)
{
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(15);

    // Past this many remembered "not erased" answers, the expired ones are dropped: the cache stays as big as the patients of one period.
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<ErasureScope, bool> _erased = new();
    private readonly ConcurrentDictionary<ErasureScope, DateTimeOffset> _live = new();

    public void Remember(ErasureScope scope) => _erased[scope] = true;

    public async Task<bool> IsErasedAsync(PatientKey patient, CancellationToken cancellationToken) =>
        await IsSetAsync(ErasureScope.Of(patient), cancellationToken) || await IsSetAsync(ErasureScope.Clinic(patient.ClinicId), cancellationToken);

    private async Task<bool> IsSetAsync(ErasureScope scope, CancellationToken cancellationToken)
    {
        if (_erased.ContainsKey(scope))
        {
            return true;
        }

        if (_live.TryGetValue(scope, out var checkedAt) && time.GetUtcNow() - checkedAt < Recheck)
        {
            return false;
        }

        // Taken before the read: the answer is trusted from when it was asked, never longer.
        var now = time.GetUtcNow();
        if (await isSet(scope, cancellationToken))
        {
            _erased[scope] = true;
            _live.TryRemove(scope, out _);
            return true;
        }

        _live[scope] = now;
        if (_live.Count > PruneAbove)
        {
            foreach (var (expired, _) in _live.Where(l => now - l.Value >= Recheck))
            {
                _live.TryRemove(expired, out _);
            }
        }

        return false;
    }
}

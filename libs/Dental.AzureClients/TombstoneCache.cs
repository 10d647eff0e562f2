using System.Collections.Concurrent;
using Dental.Contracts;

namespace Dental.AzureClients;

/// <summary>
/// Answers "was this patient erased, or their clinic offboarded?" from a service's own tombstones (<paramref name="isSet"/>
/// reads one). Tombstones are never removed, so "erased" answers are kept for good; "this clinic is not offboarded" is kept
/// for <see cref="ClinicRecheck"/> (one read per clinic and period, not per write), and a clinic's erasure waits that long
/// after setting its tombstone before it looks for what to erase, so whatever a stale answer let through is found.
/// </summary>
public sealed class TombstoneCache(Func<ErasureScope, CancellationToken, Task<bool>> isSet, TimeProvider time)
{
    public static readonly TimeSpan ClinicRecheck = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<ErasureScope, bool> _erased = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _clinicsLive = new();

    public void Remember(ErasureScope scope) => _erased[scope] = true;

    public async Task<bool> IsErasedAsync(PatientKey patient, CancellationToken cancellationToken)
    {
        if (await IsSetAsync(ErasureScope.Of(patient), cancellationToken))
        {
            return true;
        }

        if (_clinicsLive.TryGetValue(patient.ClinicId, out var checkedAt) && time.GetUtcNow() - checkedAt < ClinicRecheck)
        {
            return false;
        }

        // Taken before the read: the answer is trusted from when it was asked, never longer.
        var now = time.GetUtcNow();
        if (await IsSetAsync(ErasureScope.Clinic(patient.ClinicId), cancellationToken))
        {
            return true;
        }

        _clinicsLive[patient.ClinicId] = now;
        return false;
    }

    private async Task<bool> IsSetAsync(ErasureScope scope, CancellationToken cancellationToken)
    {
        if (_erased.ContainsKey(scope))
        {
            return true;
        }

        if (!await isSet(scope, cancellationToken))
        {
            return false;
        }

        _erased[scope] = true;
        return true;
    }
}

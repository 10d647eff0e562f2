using Dental.AzureClients;
using Dental.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Dental.UnitTests;

public class TombstoneCacheTests
{
    private static readonly PatientKey Patient = new("clinic-a", "p-1");

    private sealed class Tombstones
    {
        public HashSet<ErasureScope> Set { get; } = [];

        public List<ErasureScope> Reads { get; } = [];

        public Task<bool> IsSetAsync(ErasureScope scope, CancellationToken cancellationToken)
        {
            Reads.Add(scope);
            return Task.FromResult(Set.Contains(scope));
        }
    }

    [Fact]
    public async Task Not_erased_is_read_once_per_patient_and_clinic_within_the_recheck_period_and_again_after_it()
    {
        var tombstones = new Tombstones();
        var time = new FakeTimeProvider();
        var cache = new TombstoneCache(tombstones.IsSetAsync, time);

        for (var i = 0; i < 5; i++)
        {
            Assert.False(await cache.IsErasedAsync(Patient, default));
            time.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Equal([ErasureScope.Of(Patient), ErasureScope.Clinic(Patient.ClinicId)], tombstones.Reads);
        time.Advance(TombstoneCache.Recheck);
        Assert.False(await cache.IsErasedAsync(Patient, default));
        Assert.Equal(4, tombstones.Reads.Count);
    }

    [Fact]
    public async Task A_tombstone_set_after_a_not_erased_answer_is_seen_once_that_answer_has_expired_and_then_for_good()
    {
        var tombstones = new Tombstones();
        var time = new FakeTimeProvider();
        var cache = new TombstoneCache(tombstones.IsSetAsync, time);
        Assert.False(await cache.IsErasedAsync(Patient, default));

        // An erasure elsewhere sets the tombstone, then waits the recheck period before it looks for what to erase.
        tombstones.Set.Add(ErasureScope.Of(Patient));
        time.Advance(TombstoneCache.Recheck);
        Assert.True(await cache.IsErasedAsync(Patient, default));
        var reads = tombstones.Reads.Count;
        time.Advance(TimeSpan.FromDays(1));
        Assert.True(await cache.IsErasedAsync(Patient, default));
        Assert.Equal(reads, tombstones.Reads.Count);
    }

    [Fact]
    public async Task A_patient_erased_by_this_service_is_erased_at_once_and_an_offboarded_clinic_erases_each_of_its_patients()
    {
        var tombstones = new Tombstones();
        var time = new FakeTimeProvider();
        var cache = new TombstoneCache(tombstones.IsSetAsync, time);
        Assert.False(await cache.IsErasedAsync(Patient, default));

        cache.Remember(ErasureScope.Of(Patient));
        Assert.True(await cache.IsErasedAsync(Patient, default));

        tombstones.Set.Add(ErasureScope.Clinic("clinic-b"));
        Assert.True(await cache.IsErasedAsync(new PatientKey("clinic-b", "p-2"), default));
    }
}

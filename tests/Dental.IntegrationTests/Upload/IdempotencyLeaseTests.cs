using Dental.Upload;
using Dental.Upload.Idempotency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dental.IntegrationTests.Upload;

/// <summary>The Idempotency-Key lease against real Azurite, on a clock the test moves.</summary>
public class IdempotencyLeaseTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task A_running_attempt_holds_its_key_a_crashed_one_frees_it_within_the_lease_and_a_finished_one_replays()
    {
        var clock = new ManualClock();
        var store = new IdempotencyStore(fixture.Factory.Services.GetRequiredService<Dental.Upload.Store.UploadRecords>(), Options.Create(new UploadOptions()), clock);
        var patient = new Dental.Contracts.PatientKey(Dental.Testing.TestTokens.Clinic, Guid.NewGuid().ToString());
        var key = Guid.NewGuid().ToString();

        var first = Assert.IsType<IdempotencyStart.Begun>(await store.BeginAsync(patient, "dr-who", key, CancellationToken.None));
        var twin = Assert.IsType<IdempotencyStart.InProgress>(await store.BeginAsync(patient, "dr-who", key, CancellationToken.None));
        Assert.InRange(twin.RetryAfter, TimeSpan.FromSeconds(1), IdempotencyStore.Lease);
        Assert.IsType<IdempotencyStart.Begun>(await store.BeginAsync(patient, "someone-else", key, CancellationToken.None));

        // The first attempt's process died: nothing renews its lease, and a retry takes over once it lapses.
        clock.Now += IdempotencyStore.Lease + TimeSpan.FromSeconds(1);
        var retry = Assert.IsType<IdempotencyStart.Begun>(await store.BeginAsync(patient, "dr-who", key, CancellationToken.None));
        Assert.Equal(first.RecordName, retry.RecordName);

        await store.CompleteAsync(retry.RecordName, new UploadAnswer(201, new UploadResponse([]), "/somewhere"), "fingerprint", CancellationToken.None);
        var replay = Assert.IsType<IdempotencyStart.Replay>(await store.BeginAsync(patient, "dr-who", key, CancellationToken.None));
        Assert.Equal(("fingerprint", "/somewhere"), (replay.Record.Fingerprint, replay.Record.Location));
    }
}

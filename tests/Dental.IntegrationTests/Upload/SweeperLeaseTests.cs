using Dental.Upload.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace Dental.IntegrationTests.Upload;

/// <summary>Scheduled work runs once whatever the replica count: two replicas' sweepers against real Azurite.</summary>
public class SweeperLeaseTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    [Fact]
    public async Task Of_two_replicas_sweeping_at_once_one_runs_and_the_other_skips_then_either_may_run_again()
    {
        var replicaA = fixture.Factory.Services.GetRequiredService<SweeperLease>();
        var replicaB = new SweeperLease(fixture.Factory.Services.GetRequiredService<Dental.Upload.Store.UploadRecords>());
        var inside = new TaskCompletionSource();
        var release = new TaskCompletionSource();

        var first = replicaA.RunExclusiveAsync(TimeSpan.FromSeconds(30), async _ =>
        {
            inside.SetResult();
            await release.Task;
        }, CancellationToken.None);
        await inside.Task;
        var second = await replicaB.RunExclusiveAsync(TimeSpan.FromSeconds(30), _ => Task.CompletedTask, CancellationToken.None);
        release.SetResult();

        Assert.True(await first);
        Assert.False(second);
        Assert.True(await replicaB.RunExclusiveAsync(TimeSpan.FromSeconds(30), _ => Task.CompletedTask, CancellationToken.None));
    }
}

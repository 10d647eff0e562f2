using Azure;
using Azure.Storage.Blobs.Specialized;
using Dental.Upload.Store;

namespace Dental.Upload.Outbox;

/// <summary>
/// One sweep at a time across every Upload replica: a pass runs only while its replica holds the lease on the
/// Upload service's records container (a container lease guards nothing but the container's own deletion, so
/// it is free to use as the lock, and no lock blob is needed). Scheduled work so happens once per interval
/// whatever the replica count; a replica that dies mid-pass loses the lease when it expires.
/// </summary>
public sealed class SweeperLease(UploadRecords records)
{
    /// <summary>Runs <paramref name="work"/> if no other replica is; returns whether it ran.</summary>
    public async Task<bool> RunExclusiveAsync(TimeSpan duration, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var lease = records.Container.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(duration, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            return false;
        }

        try
        {
            await work(cancellationToken);
            return true;
        }
        finally
        {
            await lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
    }
}

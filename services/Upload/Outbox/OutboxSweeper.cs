using System.Diagnostics;
using Dental.AzureClients;
using Dental.Upload.Storage;
using Dental.Upload.Store;
using Microsoft.Extensions.Options;

namespace Dental.Upload.Outbox;

/// <summary>
/// Re-publishes ImageUploaded events whose publish did not complete (broker down, crash). An entry
/// whose original never got committed (the upload failed or crashed before) is discarded with its
/// dedupe marker once it is clearly abandoned.
/// </summary>
public sealed partial class OutboxSweeper(
    UploadRecords records,
    UploadEvents events,
    OriginalCommitter originals,
    DuplicateMarkers markers,
    ErasureTombstones tombstones,
    SweeperLease lease,
    IOptions<UploadOptions> options,
    TimeProvider time,
    ILogger<OutboxSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.OutboxSweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var published = 0;
                // One replica sweeps per interval (a lease of one minute: a pass takes far less).
                await lease.RunExclusiveAsync(TimeSpan.FromMinutes(1), async ct => published = await SweepAsync(ct), stoppingToken);
                if (published > 0)
                {
                    LogRepublished(logger, published);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex.Message);
            }
        }
    }

    /// <summary>One pass over the outbox; returns how many events it published.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var published = 0;
        var minimumAge = options.Value.OutboxMinimumAge;
        await foreach (var (name, lastModified) in records.OutboxAsync(cancellationToken))
        {
            var age = time.GetUtcNow() - lastModified;
            if (age < minimumAge || await records.ReadAsync<OutboxEntry>(name, cancellationToken) is not { } entry)
            {
                // Young entries belong to uploads still publishing on their own.
                continue;
            }

            var image = entry.Value.Event;
            if (await tombstones.IsErasedAsync(image.Patient, cancellationToken))
            {
                // The patient's erasure removes the rest; an entry written while it ran goes here.
                await originals.DeleteAsync(image.BlobName, cancellationToken);
                await events.ForgetAsync(image.ImageId, cancellationToken);
            }
            else if (await originals.ExistsAsync(image.BlobName, cancellationToken))
            {
                ActivityContext.TryParse(entry.Value.TraceParent, null, out var parent);
                using var activity = UploadMetrics.Source.StartActivity("outbox republish", ActivityKind.Internal, parent);
                await events.PublishAsync(image, cancellationToken);
                published++;
            }
            else if (age > DuplicateMarkers.StaleAfter)
            {
                await markers.ReleaseAsync(image, cancellationToken);
                await events.ForgetAsync(image.ImageId, cancellationToken);
            }
        }

        return published;
    }

    [LoggerMessage(LogLevel.Information, "Outbox: re-published {Count} ImageUploaded event(s)")]
    private static partial void LogRepublished(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Outbox sweep failed; next pass retries: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}

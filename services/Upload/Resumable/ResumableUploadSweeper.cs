using Microsoft.Extensions.Options;

namespace Dental.Upload.Resumable;

/// <summary>
/// Removes resumable uploads abandoned longer than the expiry. Their staged blocks were never committed, so storage discards
/// them itself (Azure after a week); only the state is removed here. Removal is idempotent, so replicas need no lock.
/// </summary>
public sealed partial class ResumableUploadSweeper(ResumableUploads uploads, IOptions<UploadOptions> options, TimeProvider time, ILogger<ResumableUploadSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ResumableSweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await uploads.RemoveExpiredAsync(stoppingToken) is > 0 and var removed)
                {
                    LogRemoved(logger, removed);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex.Message.Split('\n')[0]);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Removed {Count} expired resumable uploads")]
    private static partial void LogRemoved(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Looking for expired resumable uploads failed: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}

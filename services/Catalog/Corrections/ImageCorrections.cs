using Dental.Catalog.Store;
using Dental.Contracts.Events;
using Dental.Messaging;
using Microsoft.Extensions.Options;

namespace Dental.Catalog.Corrections;

/// <summary>
/// Asks the owners of an image's blobs to carry out its pending correction (<see cref="ImageCorrection"/>), and asks again for
/// any correction that has not come back within <see cref="CatalogOptions.CorrectionRecheckInterval"/>: a publish lost to a
/// crash right after the document was written, or a step that failed for good, is retried until the blobs tell the truth.
/// Every step is idempotent, so asking twice costs only the repeated checks.
/// </summary>
public sealed partial class ImageCorrections(
    DocumentStore store, IEventPublisher publisher, IOptions<CatalogOptions> options, TimeProvider time, ILogger<ImageCorrections> logger) : BackgroundService
{
    public async Task AnnounceAsync(ImageDocument doc, CancellationToken cancellationToken)
    {
        if (doc is not { Correction: { } pending, Upload: { } upload })
        {
            return;
        }

        var correction = new ImageCorrection(
            upload.ImageId, doc.ClinicId, doc.PatientId, pending.Id, pending.FromTooth, pending.FromType, upload.Tooth, upload.Notation, upload.Type, upload.TakenAt);
        await publisher.PublishAsync(Topics.Patients, ImageCorrection.Requested, correction.EventId("requested"),
            EventSubjects.Image(doc.PatientId, upload.ImageId), correction, cancellationToken);
    }

    /// <summary>Asks again for every correction older than the recheck interval; returns how many.</summary>
    public async Task<int> RecheckAsync(CancellationToken cancellationToken)
    {
        var asked = 0;
        await foreach (var doc in store.CorrectionsPendingSinceAsync(time.GetUtcNow() - options.Value.CorrectionRecheckInterval, cancellationToken))
        {
            await AnnounceAsync(doc, cancellationToken);
            asked++;
        }

        return asked;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CorrectionRecheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await RecheckAsync(stoppingToken) is > 0 and var asked)
                {
                    LogAskedAgain(logger, asked);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRecheckFailed(logger, ex.Message.Split('\n')[0]);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Corrections: asked the owners again for {Count} correction(s) not finished yet")]
    private static partial void LogAskedAgain(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Corrections: recheck failed; the next one retries: {Reason}")]
    private static partial void LogRecheckFailed(ILogger logger, string reason);
}

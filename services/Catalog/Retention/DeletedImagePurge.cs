using Dental.Audit;
using Dental.Catalog.Store;
using Dental.Contracts.Events;
using Dental.Messaging;
using Microsoft.Extensions.Options;

namespace Dental.Catalog.Retention;

/// <summary>
/// Retention: an image deleted longer than <see cref="CatalogOptions.DeletedImageRetention"/> ago is purged for good. Each
/// purge is marked on the document first (no restore from then on), audited (data_retention_purge, by the platform), then
/// announced (ImagePurged: the owners remove the original, its dedupe record and the previews) and last the document goes.
/// A crash anywhere leaves the document deleted and past its retention, so the next sweep does it all again; each step is
/// idempotent, and the audit record then appears twice rather than never.
/// </summary>
public sealed partial class DeletedImagePurge(
    DocumentStore store, IEventPublisher publisher, AuditTrail audit, IOptions<CatalogOptions> options, TimeProvider time, IHostEnvironment environment,
    ILogger<DeletedImagePurge> logger) : BackgroundService
{
    /// <summary>The actor of a purge: the platform's retention rule, not a person.</summary>
    public const string Actor = "platform:retention";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await PurgeAsync(stoppingToken) is > 0 and var purged)
                {
                    LogPurged(logger, purged);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex.Message.Split('\n')[0]);
            }
        }
    }

    /// <summary>One sweep over every clinic; returns how many images it purged.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var purged = 0;
        await foreach (var found in store.DeletedBeforeAsync(now - options.Value.DeletedImageRetention, cancellationToken))
        {
            var doc = await store.UpdateImageAsync(found.Patient, found.Id, d => d is { DeletedAt: not null, PurgingAt: null } ? d with { PurgingAt = now } : d, cancellationToken);
            if (doc is not { PurgingAt: not null, Upload: { } upload })
            {
                // Restored since the query read it.
                continue;
            }

            await audit.WriteAsync(new AuditRecord
            {
                Id = Guid.CreateVersion7().ToString("D"),
                Time = now,
                ClinicId = doc.ClinicId,
                Actor = Actor,
                Action = AuditActions.ImageRetentionPurge,
                EventType = AuditActions.EventTypeOf[AuditActions.ImageRetentionPurge],
                PatientId = doc.PatientId,
                ImageIds = [doc.Id],
                Outcome = StatusCodes.Status204NoContent,
                TraceId = System.Diagnostics.Activity.Current?.TraceId.ToString(),
                Service = environment.ApplicationName,
                Count = 1,
            });
            var purge = new ImagePurged(upload.ImageId, doc.ClinicId, doc.PatientId, upload.Tooth, upload.Type, upload.BlobName, upload.Sha256, now) { Variant = upload.Variant };
            await publisher.PublishAsync(Topics.Patients, ImagePurged.EventType, $"{upload.ImageId:D}:purged", EventSubjects.Image(doc.PatientId, upload.ImageId), purge, cancellationToken);
            await store.DeleteAsync(doc.Patient, doc.Id, cancellationToken);
            purged++;
        }

        return purged;
    }

    [LoggerMessage(LogLevel.Information, "Retention: purged {Count} deleted image(s) past their retention")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Retention sweep failed; the next one retries: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}

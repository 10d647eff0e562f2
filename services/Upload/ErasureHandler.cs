using Azure.Messaging;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Upload.Outbox;
using Dental.Upload.Store;

namespace Dental.Upload;

/// <summary>
/// A patient was erased, or a clinic offboarded: the Upload service sets its tombstone, then erases what it owns in scope —
/// originals with their versions and snapshots, dedupe and idempotency records, outbox entries, and its dead letters — and
/// reports the counts for the Catalog's receipt. Idempotent: a repeated delivery finds nothing left and reports zeros.
/// </summary>
public sealed partial class ErasureHandler(
    ErasureTombstones tombstones,
    ImageContainers containers,
    UploadRecords records,
    ErasureDeadLetters deadLetters,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<ErasureHandler> logger) : IEventConsumerHandler<PatientErased>, IEventConsumerHandler<ClinicErased>
{
    public const string Owner = "upload";

    public Task HandleAsync(PatientErased data, CloudEvent envelope, CancellationToken cancellationToken) =>
        EraseAsync(ErasureScope.Of(data.Patient), envelope, cancellationToken);

    public async Task HandleAsync(ClinicErased data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        await tombstones.MarkAsync(ErasureScope.Clinic(data.ClinicId), cancellationToken);
        // Every replica's "not offboarded" answer about the clinic has expired by then: what they still wrote is found below.
        await Task.Delay(TombstoneCache.ClinicRecheck, time, cancellationToken);
        await EraseAsync(ErasureScope.Clinic(data.ClinicId), envelope, cancellationToken);
    }

    private async Task EraseAsync(ErasureScope scope, CloudEvent envelope, CancellationToken cancellationToken)
    {
        await tombstones.MarkAsync(scope, cancellationToken);
        var originals = await containers.Originals.EraseAllUnderAsync(scope.BlobPrefix, cancellationToken);
        var own = await records.EraseAsync(scope, cancellationToken);
        var outbox = await ForgetOutboxAsync(scope, cancellationToken);
        var letters = await deadLetters.PurgeAsync(scope, cancellationToken);
        var removed = new Dictionary<string, int>
        {
            ["originals"] = originals.Blobs,
            ["originalCopies"] = originals.Copies,
            ["uploadRecords"] = own.Blobs + own.Copies + outbox,
            ["deadLetters"] = letters,
        };
        await publisher.PublishAsync(Topics.Patients, ErasureReported.EventType, $"{envelope.Id}:{Owner}", envelope.Subject,
            new ErasureReported(scope.ClinicId, scope.PatientId, Owner, removed, time.GetUtcNow()), cancellationToken);
        LogErased(logger, scope.PatientId is null ? "clinic" : "patient", originals.Blobs, originals.Copies, own.Blobs + outbox, letters);
    }

    /// <summary>Outbox entries are named by image: the few pending ones are read to find those in scope.</summary>
    private async Task<int> ForgetOutboxAsync(ErasureScope scope, CancellationToken cancellationToken)
    {
        var forgotten = 0;
        await foreach (var (name, _) in records.OutboxAsync(cancellationToken))
        {
            if (await records.ReadAsync<OutboxEntry>(name, cancellationToken) is { } entry && scope.Covers(entry.Value.Event.Patient))
            {
                await records.DeleteAsync(name, cancellationToken);
                forgotten++;
            }
        }

        return forgotten;
    }

    // Counts only: patient and clinic ids are not logged.
    [LoggerMessage(LogLevel.Information, "Erased ({Scope}): {Originals} originals ({Copies} earlier versions or snapshots), {Records} upload records, {DeadLetters} dead letters")]
    private static partial void LogErased(ILogger logger, string scope, int originals, int copies, int records, int deadLetters);
}

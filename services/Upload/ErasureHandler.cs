using Dental.AzureClients;
using Dental.Contracts;
using Dental.Messaging;
using Dental.Upload.Outbox;
using Dental.Upload.Store;

namespace Dental.Upload;

/// <summary>The Upload service's part in an erasure: originals (with versions and snapshots), dedupe and idempotency records, outbox entries, dead letters.</summary>
public sealed partial class ErasureHandler(
    ErasureTombstones tombstones,
    ImageContainers containers,
    UploadRecords records,
    ErasureDeadLetters deadLetters,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<ErasureHandler> logger) : ErasureOwner(tombstones, publisher, time)
{
    protected override string Owner => "upload";

    protected override async Task<Dictionary<string, int>> EraseOwnDataAsync(ErasureScope scope, CancellationToken cancellationToken)
    {
        var originals = await containers.Originals.EraseAllUnderAsync(scope.BlobPrefix, cancellationToken);
        var own = await records.EraseAsync(scope, cancellationToken);
        var outbox = await ForgetOutboxAsync(scope, cancellationToken);
        var letters = await deadLetters.PurgeAsync(scope, cancellationToken);
        LogErased(logger, scope.PatientId is null ? "clinic" : "patient", originals.Blobs, originals.Copies, own.Blobs + outbox, letters);
        return new Dictionary<string, int>
        {
            ["originals"] = originals.Blobs,
            ["originalCopies"] = originals.Copies,
            ["uploadRecords"] = own.Blobs + own.Copies + outbox,
            ["deadLetters"] = letters,
        };
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

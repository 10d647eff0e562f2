using Azure.Messaging;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Messaging;

namespace Dental.Thumbnailer;

/// <summary>
/// A patient was erased, or a clinic offboarded: the Thumbnailer sets its tombstone, then erases the previews in scope (every
/// size, with their versions and snapshots) and its dead letters, and reports the counts for the Catalog's receipt. A render
/// that was running meanwhile finds the tombstone after writing and removes what it wrote.
/// </summary>
public sealed partial class ErasureHandler(
    ErasureTombstones tombstones,
    ImageContainers containers,
    ErasureDeadLetters deadLetters,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<ErasureHandler> logger) : IEventConsumerHandler<PatientErased>, IEventConsumerHandler<ClinicErased>
{
    public const string Owner = "thumbnailer";

    /// <summary>Where the Thumbnailer keeps its tombstones in the previews container ('_' starts no clinic id).</summary>
    public const string TombstonePrefix = "_erased/";

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
        var previews = await containers.Previews.EraseAllUnderAsync(scope.BlobPrefix, cancellationToken);
        var letters = await deadLetters.PurgeAsync(scope, cancellationToken);
        var removed = new Dictionary<string, int> { ["previews"] = previews.Blobs, ["previewCopies"] = previews.Copies, ["deadLetters"] = letters };
        await publisher.PublishAsync(Topics.Patients, ErasureReported.EventType, $"{envelope.Id}:{Owner}", envelope.Subject,
            new ErasureReported(scope.ClinicId, scope.PatientId, Owner, removed, time.GetUtcNow()), cancellationToken);
        LogErased(logger, scope.PatientId is null ? "clinic" : "patient", previews.Blobs, previews.Copies, letters);
    }

    // Counts only: patient and clinic ids are not logged.
    [LoggerMessage(LogLevel.Information, "Erased ({Scope}): {Previews} previews ({Copies} earlier versions or snapshots), {DeadLetters} dead letters")]
    private static partial void LogErased(ILogger logger, string scope, int previews, int copies, int deadLetters);
}

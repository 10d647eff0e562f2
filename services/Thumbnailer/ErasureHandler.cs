using Dental.AzureClients;
using Dental.Contracts;
using Dental.Messaging;

namespace Dental.Thumbnailer;

/// <summary>
/// The Thumbnailer's part in an erasure: every preview in scope (with versions and snapshots) and its dead letters. A render
/// that was running meanwhile finds the tombstone after writing and removes what it wrote.
/// </summary>
public sealed partial class ErasureHandler(
    ErasureTombstones tombstones,
    ImageContainers containers,
    ErasureDeadLetters deadLetters,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<ErasureHandler> logger) : ErasureOwner(tombstones, publisher, time)
{
    /// <summary>Where the Thumbnailer keeps its tombstones in the previews container ('_' starts no clinic id).</summary>
    public const string TombstonePrefix = "_erased/";

    protected override string Owner => "thumbnailer";

    protected override async Task<Dictionary<string, int>> EraseOwnDataAsync(ErasureScope scope, CancellationToken cancellationToken)
    {
        var previews = await containers.Previews.EraseAllUnderAsync(scope.BlobPrefix, cancellationToken);
        var letters = await deadLetters.PurgeAsync(scope, cancellationToken);
        LogErased(logger, scope.PatientId is null ? "clinic" : "patient", previews.Blobs, previews.Copies, letters);
        return new Dictionary<string, int> { ["previews"] = previews.Blobs, ["previewCopies"] = previews.Copies, ["deadLetters"] = letters };
    }

    // Counts only: patient and clinic ids are not logged.
    [LoggerMessage(LogLevel.Information, "Erased ({Scope}): {Previews} previews ({Copies} earlier versions or snapshots), {DeadLetters} dead letters")]
    private static partial void LogErased(ILogger logger, string scope, int previews, int copies, int deadLetters);
}

using Azure.Messaging;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Events;

namespace Dental.Messaging;

/// <summary>
/// A service's part in erasures: on PatientErased (or ClinicErased) it sets its tombstone, erases what it owns in scope
/// (<see cref="EraseOwnDataAsync"/>) and reports the counts for the Catalog's receipt. Between the two it waits out every
/// replica's cached "not erased" answer (<see cref="TombstoneCache.Recheck"/>), so what they still wrote is found.
/// Idempotent: a repeated delivery finds nothing left and reports zeros.
/// </summary>
public abstract class ErasureOwner(ErasureTombstones tombstones, IEventPublisher publisher, TimeProvider time)
    : IEventConsumerHandler<PatientErased>, IEventConsumerHandler<ClinicErased>
{
    protected abstract string Owner { get; }

    /// <summary>Erases what the service stores in <paramref name="scope"/> (with its dead letters); returns counts by kind.</summary>
    protected abstract Task<Dictionary<string, int>> EraseOwnDataAsync(ErasureScope scope, CancellationToken cancellationToken);

    public Task HandleAsync(PatientErased data, CloudEvent envelope, CancellationToken cancellationToken) =>
        EraseAsync(ErasureScope.Of(data.Patient), envelope, cancellationToken);

    public Task HandleAsync(ClinicErased data, CloudEvent envelope, CancellationToken cancellationToken) =>
        EraseAsync(ErasureScope.Clinic(data.ClinicId), envelope, cancellationToken);

    private async Task EraseAsync(ErasureScope scope, CloudEvent envelope, CancellationToken cancellationToken)
    {
        await tombstones.MarkAsync(scope, cancellationToken);
        await Task.Delay(TombstoneCache.Recheck, time, cancellationToken);
        var removed = await EraseOwnDataAsync(scope, cancellationToken);
        await publisher.PublishAsync(Topics.Patients, ErasureReported.EventType, $"{envelope.Id}:{Owner}", envelope.Subject,
            new ErasureReported(scope.ClinicId, scope.PatientId, Owner, removed, time.GetUtcNow()), cancellationToken);
    }
}

using Dental.AzureClients;
using Dental.Catalog.Store;
using Dental.Contracts;

namespace Dental.Catalog.Erasure;

/// <summary>
/// Whether a patient was erased or their clinic offboarded: the erasure records are the Catalog's tombstones. The event
/// handlers ask after each write and undo it when the answer is yes.
/// </summary>
public sealed class ErasedPatients(DocumentStore store, TimeProvider time)
{
    private readonly TombstoneCache _cache = new(async (scope, ct) => await store.ReadErasureAsync(scope, ct) is not null, time);

    public void Remember(ErasureScope scope) => _cache.Remember(scope);

    public Task<bool> IsErasedAsync(PatientKey patient, CancellationToken cancellationToken) => _cache.IsErasedAsync(patient, cancellationToken);
}

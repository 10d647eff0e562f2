using System.Collections.Concurrent;
using Dental.Catalog.Store;
using Dental.Contracts;

namespace Dental.Catalog.Erasure;

/// <summary>
/// Whether a patient was erased (their erasure record is the Catalog's tombstone). A tombstone is never removed, so
/// "erased" answers are kept; the event handlers ask after each write, and undo it when the answer is yes.
/// </summary>
public sealed class ErasedPatients(DocumentStore store)
{
    private readonly ConcurrentDictionary<PatientKey, bool> _erased = new();

    public async Task<bool> IsErasedAsync(PatientKey patient, CancellationToken cancellationToken)
    {
        if (_erased.ContainsKey(patient))
        {
            return true;
        }

        if (await store.ReadErasureAsync(patient, cancellationToken) is null)
        {
            return false;
        }

        _erased[patient] = true;
        return true;
    }
}

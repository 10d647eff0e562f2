using Dental.Catalog.Store;
using Dental.Clinics;
using Dental.Contracts;
using Dental.Contracts.Events;

namespace Dental.Ops;

/// <summary>
/// Offboarding a clinic: the registry marks it closed (its tokens are refused from then on, within the registry's cache
/// time), its erasure record is written (the Catalog's clinic tombstone and the one receipt), and ClinicErased asks every
/// service to erase everything it stores for the clinic. Running it again while the services work announces it again (that
/// resumes an interrupted offboarding); after they finished it only shows the receipt.
/// </summary>
public sealed class OffboardCommand(OpsServices ops, TimeProvider time)
{
    public async Task<ErasureRecord?> RunAsync(string clinicId, string requestedBy, CancellationToken cancellationToken)
    {
        if (await ops.Clinics.SetStatusAsync(clinicId, ClinicStatus.Closed, cancellationToken) is null)
        {
            return null;
        }

        var scope = ErasureScope.Clinic(clinicId);
        var now = time.GetUtcNow();
        var record = (await ops.Documents.UpdateErasureAsync(scope, current => ErasureRecord.Requested(current, scope, requestedBy, now), cancellationToken))!;
        if (!record.Completed)
        {
            await ops.Publisher.PublishAsync(Topics.Patients, ClinicErased.EventType, Guid.NewGuid().ToString("N"), $"clinics/{clinicId}",
                new ClinicErased(clinicId, now), cancellationToken);
        }

        return record;
    }

    /// <summary>The offboarding's receipt as it stands, or null when the clinic was never offboarded.</summary>
    public Task<ErasureRecord?> ReceiptAsync(string clinicId, CancellationToken cancellationToken) =>
        ops.Documents.ReadErasureAsync(ErasureScope.Clinic(clinicId), cancellationToken);
}

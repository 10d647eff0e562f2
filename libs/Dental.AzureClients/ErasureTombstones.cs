using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.Contracts;

namespace Dental.AzureClients;

/// <summary>
/// The erased patients and offboarded clinics a service knows of, in its own container: an empty blob each, named by the
/// opaque ids only ({prefix}{clinicId}/{patientId}, and {prefix}{clinicId}/.clinic for a clinic). A service sets its
/// tombstone before it erases, and checks after each write about a patient (undoing the write if it finds one), so nothing
/// in flight during an erasure — a late event, a retried upload — brings the data back.
/// </summary>
public sealed class ErasureTombstones
{
    private readonly BlobContainerClient _container;
    private readonly string _prefix;
    private readonly TombstoneCache _cache;

    public ErasureTombstones(BlobContainerClient container, string prefix, TimeProvider time)
    {
        (_container, _prefix) = (container, prefix);
        _cache = new TombstoneCache(async (scope, ct) => (await container.GetBlobClient(Name(scope)).ExistsAsync(ct)).Value, time);
    }

    public async Task MarkAsync(ErasureScope scope, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlobClient(Name(scope)).UploadAsync(
                BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Set by an earlier delivery.
        }

        _cache.Remember(scope);
    }

    public Task<bool> IsErasedAsync(PatientKey patient, CancellationToken cancellationToken) => _cache.IsErasedAsync(patient, cancellationToken);

    private string Name(ErasureScope scope) => $"{_prefix}{scope.ClinicId}/{scope.PatientId ?? ".clinic"}";
}

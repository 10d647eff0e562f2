using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.Contracts;

namespace Dental.AzureClients;

/// <summary>
/// The erased patients a service knows of, in its own container: an empty blob per patient named by the opaque ids only.
/// A service sets its tombstone before it erases, and checks it after each write about a patient (and undoes the write if
/// it is there), so nothing that was in flight during an erasure — a late event, a retried upload — brings the patient
/// back. A tombstone is never removed, so "erased" answers are cached.
/// </summary>
public sealed class PatientTombstones(BlobContainerClient container, string prefix)
{
    private readonly ConcurrentDictionary<PatientKey, bool> _erased = new();

    public async Task MarkAsync(PatientKey patient, CancellationToken cancellationToken)
    {
        try
        {
            await container.GetBlobClient(Name(patient)).UploadAsync(
                BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Set by an earlier delivery.
        }

        _erased[patient] = true;
    }

    public async Task<bool> IsErasedAsync(PatientKey patient, CancellationToken cancellationToken)
    {
        if (_erased.ContainsKey(patient))
        {
            return true;
        }

        if (!(await container.GetBlobClient(Name(patient)).ExistsAsync(cancellationToken)).Value)
        {
            return false;
        }

        _erased[patient] = true;
        return true;
    }

    private string Name(PatientKey patient) => $"{prefix}{patient.ClinicId}/{patient.PatientId}";
}

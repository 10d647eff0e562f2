using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.ServiceDefaults.Auth;
using Microsoft.Extensions.Options;

namespace Dental.Clinics;

/// <summary>
/// The registry of clinics the platform serves: one JSON blob per clinic ({id}.json). Reads are cached for
/// <see cref="ClinicRegistryOptions.CacheDuration"/>, so checking every request costs a storage read per clinic and
/// period, not per request; writes (the operator's) replace a record with an ETag condition.
/// </summary>
public sealed class ClinicRegistry(BlobServiceClient service, IOptions<ClinicRegistryOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (ClinicRecord? Record, DateTimeOffset ReadAt)> _cache = new();

    public BlobContainerClient Container { get; } = service.GetBlobContainerClient(options.Value.Container);

    /// <summary>
    /// Whether the clinic is registered and active. The answer may be up to CacheDuration old, and older while storage
    /// cannot be read (the last answer stands); with no answer yet, a storage failure is thrown.
    /// </summary>
    public async Task<bool> ServesAsync(string clinicId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(clinicId, out var cached) || now - cached.ReadAt >= options.Value.CacheDuration)
        {
            try
            {
                cached = (await FindAsync(clinicId, cancellationToken), now);
                _cache[clinicId] = cached;
            }
            catch (Exception ex) when (_cache.ContainsKey(clinicId) && ex is not OperationCanceledException)
            {
                // Storage cannot be read: the last answer stands until it can.
            }
        }

        return cached.Record is { Status: ClinicStatus.Active };
    }

    public async Task<ClinicRecord?> FindAsync(string clinicId, CancellationToken cancellationToken)
    {
        if (!ClinicClaims.IsValidId(clinicId))
        {
            return null;
        }

        try
        {
            return (await Container.GetBlobClient(Name(clinicId)).DownloadContentAsync(cancellationToken)).Value.Content.ToObjectFromJson<ClinicRecord>();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Registers a clinic as active; false when it is registered already (its record is left as it is).</summary>
    public async Task<bool> RegisterAsync(string clinicId, string? label, CancellationToken cancellationToken)
    {
        if (!ClinicClaims.IsValidId(clinicId))
        {
            throw new ArgumentException($"A clinic id is 1–{ClinicClaims.MaxIdLength} characters of A–Z, a–z, 0–9 and '-'.", nameof(clinicId));
        }

        try
        {
            await Container.GetBlobClient(Name(clinicId)).UploadAsync(
                BinaryData.FromObjectAsJson(new ClinicRecord(clinicId, label, ClinicStatus.Active, time.GetUtcNow())),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Changes a registered clinic's status; null when no such clinic is registered.</summary>
    public async Task<ClinicRecord?> SetStatusAsync(string clinicId, ClinicStatus status, CancellationToken cancellationToken)
    {
        var blob = Container.GetBlobClient(Name(clinicId));
        while (true)
        {
            Response<BlobDownloadResult> current;
            try
            {
                current = await blob.DownloadContentAsync(cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null;
            }

            var changed = current.Value.Content.ToObjectFromJson<ClinicRecord>()! with { Status = status, ChangedAt = time.GetUtcNow() };
            try
            {
                await blob.UploadAsync(
                    BinaryData.FromObjectAsJson(changed),
                    new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = current.Value.Details.ETag }, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                    cancellationToken);
                _cache.TryRemove(clinicId, out _);
                return changed;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Changed by someone else meanwhile: apply ours to the newer record.
            }
        }
    }

    public async Task<IReadOnlyList<ClinicRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var records = new List<ClinicRecord>();
        await foreach (var blob in Container.GetBlobsAsync(new GetBlobsOptions(), cancellationToken))
        {
            var record = await FindAsync(Path.GetFileNameWithoutExtension(blob.Name), cancellationToken);
            if (record is not null)
            {
                records.Add(record);
            }
        }

        return records;
    }

    private static string Name(string clinicId) => $"{clinicId}.json";
}

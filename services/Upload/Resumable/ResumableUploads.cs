using Azure;
using Dental.Contracts;
using Dental.Upload.Store;
using Microsoft.Extensions.Options;

namespace Dental.Upload.Resumable;

/// <summary>The stored states of resumable uploads: found by id, owned by the caller that created them, expiring when left alone.</summary>
public sealed class ResumableUploads(UploadRecords records, IOptions<UploadOptions> options, TimeProvider time)
{
    public Task<bool> CreateAsync(ResumableUpload upload, CancellationToken cancellationToken) =>
        records.TryCreateAsync(UploadRecords.Resumable(upload.UploadId), upload, cancellationToken);

    /// <summary>The upload with its version, when it exists, belongs to this caller and patient, and has not expired (an expired one is removed).</summary>
    public async Task<(ResumableUpload Upload, ETag ETag)?> FindAsync(Guid uploadId, PatientKey patient, string caller, CancellationToken cancellationToken)
    {
        var name = UploadRecords.Resumable(uploadId);
        if (await records.ReadAsync<ResumableUpload>(name, cancellationToken) is not { } found
            || found.Value.ClinicId != patient.ClinicId || found.Value.PatientId != patient.PatientId || found.Value.Uploader != caller)
        {
            return null;
        }

        if (IsExpired(found.LastModified))
        {
            await records.DeleteAsync(name, cancellationToken);
            return null;
        }

        return (found.Value, found.ETag);
    }

    /// <summary>Stores the new state if nobody else changed the upload since <paramref name="etag"/>.</summary>
    public Task<bool> TryReplaceAsync(ResumableUpload upload, ETag etag, CancellationToken cancellationToken) =>
        records.TryReplaceAsync(UploadRecords.Resumable(upload.UploadId), upload, etag, cancellationToken);

    public Task DeleteAsync(Guid uploadId, CancellationToken cancellationToken) => records.DeleteAsync(UploadRecords.Resumable(uploadId), cancellationToken);

    /// <summary>When an upload written now expires.</summary>
    public DateTimeOffset ExpiresFromNow() => time.GetUtcNow() + options.Value.ResumableExpiry;

    /// <summary>Removes every upload left alone longer than the expiry; returns how many.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        await foreach (var (name, lastModified) in records.ResumableAsync(cancellationToken))
        {
            if (IsExpired(lastModified))
            {
                await records.DeleteAsync(name, cancellationToken);
                removed++;
            }
        }

        return removed;
    }

    private bool IsExpired(DateTimeOffset lastModified) => time.GetUtcNow() - lastModified > options.Value.ResumableExpiry;
}

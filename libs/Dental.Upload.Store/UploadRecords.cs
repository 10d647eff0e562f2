using System.Net;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.Contracts;
using Dental.AzureClients;

namespace Dental.Upload.Store;

/// <summary>One of the Upload service's records as stored, for backups.</summary>
public sealed record UploadRecordFile(string Name, BinaryData Content);

/// <summary>
/// The Upload service's own small JSON records, in a container of their own: dedupe markers and idempotency
/// records under the patient's folder (so a patient's records are erased together), the outbox under its own, and the
/// tombstones of erased patients under <see cref="TombstonePrefix"/>, resumable uploads' states under theirs. Names carry opaque ids and hashes only.
/// </summary>
public sealed class UploadRecords(BlobContainerClient container)
{
    private const string OutboxPrefix = "outbox/";
    private const string ResumablePrefix = "resumable/";
    public const string TombstonePrefix = "erased/";

    public BlobContainerClient Container => container;

    public static string DedupeMarker(PatientKey patient, string sha256) => $"{PatientPrefix(patient)}sha256/{sha256}.json";

    public static string Idempotency(PatientKey patient, string keyHash) => $"{PatientPrefix(patient)}idempotency/{keyHash}.json";

    public static string Outbox(Guid imageId) => $"{OutboxPrefix}{imageId:D}.json";

    /// <summary>A resumable upload's state (it names its patient inside: it is found by its id alone).</summary>
    public static string Resumable(Guid uploadId) => $"{ResumablePrefix}{uploadId:D}.json";

    private static string PatientPrefix(PatientKey patient) => $"clinics/{patient.ClinicId}/patients/{patient.PatientId}/";

    /// <summary>Creates the record only if no record of that name exists; false when one does.</summary>
    public async Task<bool> TryCreateAsync<T>(string name, T value, CancellationToken cancellationToken)
    {
        try
        {
            await container.GetBlobClient(name).UploadAsync(
                BinaryData.FromObjectAsJson(value, Json),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    /// <summary>Replaces the record only if it is still the version read (<paramref name="etag"/>).</summary>
    public async Task<bool> TryReplaceAsync<T>(string name, T value, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await container.GetBlobClient(name).UploadAsync(
                BinaryData.FromObjectAsJson(value, Json),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = etag } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task WriteAsync<T>(string name, T value, CancellationToken cancellationToken) =>
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromObjectAsJson(value, Json), overwrite: true, cancellationToken);

    /// <summary>The record with its version and age, or null when there is none.</summary>
    public async Task<(T Value, ETag ETag, DateTimeOffset LastModified)?> ReadAsync<T>(string name, CancellationToken cancellationToken)
    {
        return await DownloadAsync(name, cancellationToken) is { } content
            ? (content.Content.ToObjectFromJson<T>(Json)!, content.Details.ETag, content.Details.LastModified)
            : null;
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        container.DeleteBlobIfExistsAsync(name, cancellationToken: cancellationToken);

    /// <summary>The outbox's entries, oldest name first, with their age.</summary>
    public IAsyncEnumerable<(string Name, DateTimeOffset LastModified)> OutboxAsync(CancellationToken cancellationToken) =>
        ListAsync(OutboxPrefix, cancellationToken);

    /// <summary>The resumable uploads' states, with the time each last changed.</summary>
    public IAsyncEnumerable<(string Name, DateTimeOffset LastModified)> ResumableAsync(CancellationToken cancellationToken) =>
        ListAsync(ResumablePrefix, cancellationToken);

    private async IAsyncEnumerable<(string Name, DateTimeOffset LastModified)> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            yield return (item.Name, item.Properties.LastModified ?? DateTimeOffset.MinValue);
        }
    }

    /// <summary>Every record of one patient (dedupe markers, idempotency records), for a backup.</summary>
    public async Task<List<UploadRecordFile>> ExportPatientAsync(PatientKey patient, CancellationToken cancellationToken)
    {
        var files = new List<UploadRecordFile>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = PatientPrefix(patient) }, cancellationToken))
        {
            files.Add(new UploadRecordFile(item.Name, (await container.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken)).Value.Content));
        }

        return files;
    }

    /// <summary>Writes a record exported earlier back as it was (restores).</summary>
    public Task ImportAsync(UploadRecordFile file, CancellationToken cancellationToken) =>
        container.GetBlobClient(file.Name).UploadAsync(file.Content, overwrite: true, cancellationToken);

    /// <summary>A stored record as it is, or null when there is none (restores compare before writing).</summary>
    public async Task<BinaryData?> ReadRawAsync(string name, CancellationToken cancellationToken) =>
        (await DownloadAsync(name, cancellationToken))?.Content;

    /// <summary>Deletes every record of the patient, or of the whole clinic (the outbox aside: its entries are named by image).</summary>
    public Task<ErasedBlobs> EraseAsync(ErasureScope scope, CancellationToken cancellationToken) =>
        container.EraseAllUnderAsync(
            scope.PatientId is null ? $"clinics/{scope.ClinicId}/" : PatientPrefix(new PatientKey(scope.ClinicId, scope.PatientId)), cancellationToken);

    /// <summary>A record's content with its version and age, or null when there is none.</summary>
    private async Task<BlobDownloadResult?> DownloadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return (await container.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);
}

using System.Net;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.AzureClients;
using Dental.Contracts;

namespace Dental.Upload.Storage;

/// <summary>
/// Small JSON records the Upload service keeps beside the originals: dedupe markers and idempotency
/// records under the patient's prefix (so erasing a patient removes them too), the outbox under its own.
/// Names carry opaque ids and hashes only.
/// </summary>
public sealed class StateBlobs(ImageContainers containers)
{
    public static string DedupeMarker(string patientId, string sha256) => $"{BlobNames.PatientPrefix(patientId)}_sha256/{sha256}.json";

    public static string Idempotency(string patientId, string keyHash) => $"{BlobNames.PatientPrefix(patientId)}_idempotency/{keyHash}.json";

    public const string OutboxPrefix = "_outbox/";

    public static string Outbox(Guid imageId) => $"{OutboxPrefix}{imageId:D}.json";

    public BlobClient Blob(string name) => containers.Originals.GetBlobClient(name);

    /// <summary>Creates the record only if no record of that name exists; false when one does.</summary>
    public async Task<bool> TryCreateAsync<T>(string name, T value, CancellationToken cancellationToken)
    {
        try
        {
            await Blob(name).UploadAsync(
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
            await Blob(name).UploadAsync(
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
        await Blob(name).UploadAsync(BinaryData.FromObjectAsJson(value, Json), overwrite: true, cancellationToken);

    /// <summary>The record with its version and age, or null when there is none.</summary>
    public async Task<(T Value, ETag ETag, DateTimeOffset LastModified)?> ReadAsync<T>(string name, CancellationToken cancellationToken)
    {
        try
        {
            var content = await Blob(name).DownloadContentAsync(cancellationToken);
            return (content.Value.Content.ToObjectFromJson<T>(Json)!, content.Value.Details.ETag, content.Value.Details.LastModified);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        containers.Originals.DeleteBlobIfExistsAsync(name, cancellationToken: cancellationToken);

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);
}

using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.Contracts;

namespace Dental.AzureClients;

/// <summary>
/// Renames blobs the only way Blob Storage allows: copy, verify, then delete the source. Every step can be repeated, so a
/// move cut short by a crash finishes when it runs again, and never ends with two copies or none: a source is deleted only
/// once its copy is verified (the same length, and for an original the SHA-256 it was stored with).
/// </summary>
public static class BlobMoves
{
    /// <summary>
    /// Moves every blob under <paramref name="fromPrefix"/> to the same name under <paramref name="toPrefix"/>, with its metadata
    /// changed by <paramref name="metadata"/> (when the prefixes are equal, only the metadata is rewritten). Returns how many
    /// blobs this call moved or rewrote.
    /// </summary>
    public static async Task<int> MoveAllUnderAsync(
        this BlobContainerClient container, string fromPrefix, string toPrefix, Action<IDictionary<string, string>> metadata, CancellationToken cancellationToken)
    {
        var moved = 0;
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = fromPrefix, Traits = BlobTraits.Metadata }, cancellationToken))
        {
            var source = container.GetBlobClient(item.Name);
            var changed = new Dictionary<string, string>(item.Metadata);
            metadata(changed);
            if (fromPrefix == toPrefix)
            {
                if (!Same(changed, item.Metadata))
                {
                    await source.SetMetadataAsync(changed, new BlobRequestConditions { IfMatch = item.Properties.ETag }, cancellationToken);
                    moved++;
                }

                continue;
            }

            var target = container.GetBlobClient(BlobNames.Moved(item.Name, fromPrefix, toPrefix));
            if (!await IsCopyOfAsync(target, item, cancellationToken))
            {
                await CopyAsync(source, target, item, changed, cancellationToken);
            }

            await source.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = item.Properties.ETag }, cancellationToken);
            moved++;
        }

        return moved;
    }

    /// <summary>The target exists and holds the source's bytes (a blob is written whole or not at all; its length and hash tell).</summary>
    private static async Task<bool> IsCopyOfAsync(BlobClient target, BlobItem source, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await target.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            return properties.ContentLength == source.Properties.ContentLength
                && (!source.Metadata.TryGetValue(Sha256Key, out var sha) || (properties.Metadata.TryGetValue(Sha256Key, out var copied) ? copied : null) == sha);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    private static async Task CopyAsync(BlobClient source, BlobClient target, BlobItem item, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        using var sha256 = SHA256.Create();
        long length;
        // Streamed through this process: the same code works with a connection string and with Entra ID, where a server-side
        // copy would need the source authorised separately. Reading pins the source's version (it may not change meanwhile).
        await using (var read = await source.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken))
        await using (var hashing = new CryptoStream(read, sha256, CryptoStreamMode.Read, leaveOpen: true))
        {
            await target.UploadAsync(hashing, new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders
                {
                    ContentType = item.Properties.ContentType,
                    CacheControl = item.Properties.CacheControl,
                    ContentEncoding = item.Properties.ContentEncoding,
                    ContentLanguage = item.Properties.ContentLanguage,
                    ContentDisposition = item.Properties.ContentDisposition,
                },
                Metadata = metadata,
            }, cancellationToken);
            length = read.Length;
        }

        var copied = (await target.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ContentLength;
        var expected = item.Metadata.TryGetValue(Sha256Key, out var sha) ? sha : null;
        if (copied != length || (expected is not null && Convert.ToHexStringLower(sha256.Hash!) != expected))
        {
            await target.DeleteIfExistsAsync(cancellationToken: cancellationToken);
            throw new InvalidOperationException($"The copy of a blob did not verify ({copied} of {length} bytes); the source is kept.");
        }
    }

    private static bool Same(Dictionary<string, string> a, IDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <summary>The metadata key under which an original keeps the SHA-256 of its bytes (the Upload service writes it).</summary>
    private const string Sha256Key = "sha256";
}

using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Dental.AzureClients;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Upload.Store;

namespace Dental.Upload.Storage;

/// <summary>Makes a staged original durable (commits its blocks with headers and metadata), or removes it again.</summary>
public sealed class OriginalCommitter(ImageContainers containers)
{
    public async Task CommitAsync(StagedOriginal staged, ImageUploaded image, ImageText text, CancellationToken cancellationToken)
    {
        var metadata = OriginalMetadata.For(image, text);
        var blob = containers.Originals.GetBlockBlobClient(staged.BlobName);
        var headers = new BlobHttpHeaders { ContentType = image.ContentType, CacheControl = "private" };
        var conditions = new BlobRequestConditions { IfNoneMatch = Azure.ETag.All };
        if (staged.Content is { } content)
        {
            await blob.UploadAsync(content.ToStream(), new BlobUploadOptions { HttpHeaders = headers, Metadata = metadata, Conditions = conditions }, cancellationToken);
            return;
        }

        await blob.CommitBlockListAsync(
            staged.BlockIds,
            new CommitBlockListOptions { HttpHeaders = headers, Metadata = metadata, Conditions = conditions },
            cancellationToken);
    }

    public Task DeleteAsync(string blobName, CancellationToken cancellationToken) =>
        containers.Originals.DeleteBlobIfExistsAsync(blobName, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);

    public async Task<bool> ExistsAsync(string blobName, CancellationToken cancellationToken) =>
        (await containers.Originals.GetBlobClient(blobName).ExistsAsync(cancellationToken)).Value;

    /// <summary>The file name and note kept on a stored original; null when the original is not stored.</summary>
    public Task<ImageText?> ReadTextAsync(string blobName, CancellationToken cancellationToken) =>
        OriginalMetadata.ReadTextAsync(containers.Originals.GetBlobClient(blobName), cancellationToken);
}

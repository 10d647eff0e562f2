using Azure;
using Dental.AzureClients;

namespace Dental.Thumbnailer;

/// <summary>Reads an original whole, for the renderer.</summary>
public sealed class OriginalDownloader(ImageContainers containers)
{
    /// <summary>The original in one exactly-sized array (the renderer pins it), or null when it no longer exists.</summary>
    public async Task<byte[]?> DownloadAsync(string blobName, CancellationToken cancellationToken)
    {
        // The SDK's span ends with the response headers; this one covers the body too.
        using var span = ThumbnailerMetrics.Source.StartActivity("read original");
        try
        {
            var download = await containers.Originals.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: cancellationToken);
            using var content = download.Value;
            var bytes = new byte[content.Details.ContentLength];
            await content.Content.ReadExactlyAsync(bytes, cancellationToken);
            return bytes;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}

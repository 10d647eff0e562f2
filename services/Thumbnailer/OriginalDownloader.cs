using Azure;
using Dental.AzureClients;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Dental.Thumbnailer;

/// <summary>
/// Reads an original whole, for the renderer. The original the ready path has just read is kept a short while, within a
/// byte budget, for the large rendition that follows it: when that render runs in this process, as it usually does, it
/// needs no second download; otherwise, or once the budget or the time is spent, it downloads again.
/// </summary>
public sealed class OriginalDownloader(ImageContainers containers, IOptions<ThumbnailerOptions> options) : IDisposable
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(1);
    private readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.KeptOriginalsBytes) });

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

    /// <summary>Keeps an original just read for its large rendition (originals never change under a name, so it stays true).</summary>
    public void KeepForLarge(string blobName, byte[] original)
    {
        if (options.Value.KeptOriginalsBytes > 0)
        {
            _kept.Set(blobName, original, new MemoryCacheEntryOptions { Size = original.Length, AbsoluteExpirationRelativeToNow = KeptFor });
        }
    }

    /// <summary>The kept original, once (it is forgotten as it is taken), or null.</summary>
    public byte[]? TakeKept(string blobName)
    {
        if (!_kept.TryGetValue(blobName, out byte[]? original))
        {
            return null;
        }

        _kept.Remove(blobName);
        return original;
    }

    public void Dispose() => _kept.Dispose();
}

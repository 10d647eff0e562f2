using Dental.Thumbnailer.Rendering;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Dental.Thumbnailer;

/// <summary>
/// The large preview's pixels the ready render made, kept a short while within a byte budget for the deferred encode that
/// follows: when that runs in this process, as it usually does, it neither downloads nor decodes the original again;
/// otherwise, or once the budget or the time is spent, it renders from the original.
/// </summary>
public sealed class KeptLargePixels(IOptions<ThumbnailerOptions> options) : IDisposable
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(1);
    private readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.KeptLargePixelsBytes) });

    /// <summary>Keeps the pixels made from the original at <paramref name="blobName"/> (originals never change under a name).</summary>
    public void Keep(string blobName, LargePixels pixels)
    {
        if (options.Value.KeptLargePixelsBytes > 0)
        {
            _kept.Set(blobName, pixels, new MemoryCacheEntryOptions { Size = pixels.Data.Length, AbsoluteExpirationRelativeToNow = KeptFor });
        }
    }

    /// <summary>The kept pixels, once (they are forgotten as they are taken), or null.</summary>
    public LargePixels? Take(string blobName)
    {
        if (!_kept.TryGetValue(blobName, out LargePixels? pixels))
        {
            return null;
        }

        _kept.Remove(blobName);
        return pixels;
    }

    public void Dispose() => _kept.Dispose();
}

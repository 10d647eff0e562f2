using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Caching.Memory;

namespace Dental.Catalog.Store;

/// <summary>
/// The version of each document this process last wrote, kept a few minutes: the next change to it (an image's next event
/// arrives here moments later) starts from that version instead of reading it first. Safe because every write is
/// ETag-conditioned: a version someone else has replaced or deleted meanwhile costs one refused write, then the read.
/// </summary>
internal sealed class WrittenVersions : IDisposable
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(5);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public T? Find<T>(PartitionKey partition, string id)
        where T : class =>
        _cache.TryGetValue(Key(partition, id), out var version) ? version as T : null;

    public void Remember<T>(PartitionKey partition, string id, T version)
        where T : class =>
        _cache.Set(Key(partition, id), version, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = KeepFor });

    public void Forget(PartitionKey partition, string id) => _cache.Remove(Key(partition, id));

    public void Dispose() => _cache.Dispose();

    private static string Key(PartitionKey partition, string id) => $"{partition}\n{id}";
}

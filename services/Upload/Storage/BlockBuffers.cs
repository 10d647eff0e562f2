using System.Buffers;
using Azure.Storage.Blobs.Specialized;

namespace Dental.Upload.Storage;

/// <summary>Two pooled block buffers: one being staged while the other is filled from the client.</summary>
internal sealed class BlockBuffers
{
    private byte[] _spare = ArrayPool<byte>.Shared.Rent(OriginalStager.BlockSize);
    private Task? _staging;

    public byte[] Current { get; private set; } = ArrayPool<byte>.Shared.Rent(OriginalStager.BlockSize);

    /// <summary>The other buffer: free to fill only before the first block is staged.</summary>
    public byte[] Spare => _staging is null ? _spare : throw new InvalidOperationException("The spare buffer is being staged.");

    /// <summary>Starts staging the current buffer (after the previous block finished) and swaps in the other one.</summary>
    public async Task StageAsync(BlockBlobClient blob, string blockId, int length, CancellationToken cancellationToken)
    {
        await WaitForStagingAsync();
        _staging = blob.StageBlockAsync(blockId, new MemoryStream(Current, 0, length, writable: false), cancellationToken: cancellationToken);
        (Current, _spare) = (_spare, Current);
    }

    public async Task WaitForStagingAsync()
    {
        if (_staging is not null)
        {
            await _staging;
        }
    }

    /// <summary>Returns both buffers once no staging still reads from them, whatever happened.</summary>
    public async Task ReturnAsync()
    {
        if (_staging is not null)
        {
            await _staging.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        ArrayPool<byte>.Shared.Return(Current);
        ArrayPool<byte>.Shared.Return(_spare);
    }
}

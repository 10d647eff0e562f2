using Microsoft.Extensions.Options;

namespace Dental.Thumbnailer.Rendering;

/// <summary>Bounds how many originals are decoded at once (CPU and memory), independently of how many messages are in flight.</summary>
public sealed class RenderSlots(IOptions<ThumbnailerOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.Parallelism, options.Value.Parallelism);

    public async Task<T> RunAsync<T>(Func<T> render, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(render, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}

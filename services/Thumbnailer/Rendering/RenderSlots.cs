using Microsoft.Extensions.Options;

namespace Dental.Thumbnailer.Rendering;

/// <summary>
/// Bounds how many originals are decoded at once (CPU and memory), independently of how many messages are in flight.
/// Deferred work (the large preview) first waits for one of its own few slots, so it never holds more than those of the
/// shared ones while ready-path renders queue.
/// </summary>
public sealed class RenderSlots(IOptions<ThumbnailerOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.Parallelism, options.Value.Parallelism);
    private readonly SemaphoreSlim _deferred = new(options.Value.DeferredParallelism, options.Value.DeferredParallelism);

    public async Task<T> RunAsync<T>(Func<T> render, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            using var span = ThumbnailerMetrics.Source.StartActivity("render");
            // A render holds its thread for the whole decode and encode: on a thread of its own, not one of the pool's
            // few, which the downloads, uploads and message handling of the other images need meanwhile.
            return await Task.Factory.StartNew(render, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            _slots.Release();
        }
    }

    public async Task<T> RunDeferredAsync<T>(Func<T> render, CancellationToken cancellationToken)
    {
        await _deferred.WaitAsync(cancellationToken);
        try
        {
            return await RunAsync(render, cancellationToken);
        }
        finally
        {
            _deferred.Release();
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        _deferred.Dispose();
    }
}

using NetVips;

namespace Dental.Thumbnailer.Rendering;

/// <summary>libvips (NetVips.Native's build) set up once per process: no operation cache, one thread per render (parallelism is the service's own).</summary>
public static class VipsRuntime
{
    private static readonly Lazy<Exception?> Initialization = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void EnsureInitialized()
    {
        if (Initialization.Value is { } failure)
        {
            throw new InvalidOperationException(failure.Message, failure);
        }
    }

    private static Exception? Initialize()
    {
        if (!ModuleInitializer.VipsInitialized)
        {
            return ModuleInitializer.Exception ?? new InvalidOperationException("libvips could not be initialized.");
        }

        // Every image is new, so libvips' operation cache would only hold memory.
        Cache.Max = 0;
        NetVips.NetVips.Concurrency = 1;
        return null;
    }
}

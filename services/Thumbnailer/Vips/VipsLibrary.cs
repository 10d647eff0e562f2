using System.Runtime.InteropServices;

namespace Dental.Thumbnailer.Vips;

/// <summary>Loads and initializes libvips once per process, with a clear message when it is missing.</summary>
internal static class VipsLibrary
{
    private static readonly Lazy<Exception?> Initialization = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lock ErrorLock = new();

    public static void EnsureInitialized()
    {
        if (Initialization.Value is { } failure)
        {
            throw new InvalidOperationException(failure.Message, failure);
        }
    }

    /// <summary>Copies and clears libvips' per-process error buffer; serialized so concurrent failures do not mix their texts.</summary>
    public static VipsException Error(string operation)
    {
        lock (ErrorLock)
        {
            var text = Marshal.PtrToStringUTF8(VipsNative.ErrorBuffer())?.Trim() ?? "";
            VipsNative.ErrorClear();
            return new VipsException(operation, text.Length == 0 ? "no detail from libvips" : text.Split('\n')[0]);
        }
    }

    private static Exception? Initialize()
    {
        if (!NativeLibrary.TryLoad(VipsNative.Vips, out _))
        {
            return new DllNotFoundException($"libvips ({VipsNative.Vips}) is not installed. On Debian: apt-get install libvips42");
        }

        if (VipsNative.Init("dental-thumbnailer") != 0)
        {
            return Error("vips_init");
        }

        // Every image is new, so libvips' operation cache would only hold memory; parallelism is ours.
        VipsNative.CacheSetMax(0);
        VipsNative.ConcurrencySet(1);
        return null;
    }
}

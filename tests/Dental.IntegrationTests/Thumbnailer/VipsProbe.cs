using System.Runtime.InteropServices;

namespace Dental.IntegrationTests.Thumbnailer;

/// <summary>Reads rendered previews back with real libvips: dimensions, mean brightness, one pixel.</summary>
internal static partial class VipsProbe
{
    public sealed record Facts(int Width, int Height, int Bands, double Mean, double[] TopLeft);

    public static Facts Inspect(byte[] jpeg)
    {
        var pin = GCHandle.Alloc(jpeg, GCHandleType.Pinned);
        var image = NewFromBuffer(pin.AddrOfPinnedObject(), (nuint)jpeg.Length, "", IntPtr.Zero);
        try
        {
            Assert.NotEqual(IntPtr.Zero, image);
            Assert.Equal(0, Avg(image, out var mean, IntPtr.Zero));
            Assert.Equal(0, GetPoint(image, out var vector, out var count, 2, 2, IntPtr.Zero));
            var topLeft = new double[count];
            Marshal.Copy(vector, topLeft, 0, count);
            Free(vector);
            return new Facts(Width(image), Height(image), Bands(image), mean, topLeft);
        }
        finally
        {
            if (image != IntPtr.Zero)
            {
                Unref(image);
            }

            pin.Free();
        }
    }

    [LibraryImport("libvips.so.42", EntryPoint = "vips_image_new_from_buffer", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr NewFromBuffer(IntPtr buffer, nuint length, string options, IntPtr terminator);

    [LibraryImport("libvips.so.42", EntryPoint = "vips_avg")]
    private static partial int Avg(IntPtr image, out double mean, IntPtr terminator);

    [LibraryImport("libvips.so.42", EntryPoint = "vips_getpoint")]
    private static partial int GetPoint(IntPtr image, out IntPtr vector, out int count, int x, int y, IntPtr terminator);

    [LibraryImport("libvips.so.42", EntryPoint = "vips_image_get_width")]
    private static partial int Width(IntPtr image);

    [LibraryImport("libvips.so.42", EntryPoint = "vips_image_get_height")]
    private static partial int Height(IntPtr image);

    [LibraryImport("libvips.so.42", EntryPoint = "vips_image_get_bands")]
    private static partial int Bands(IntPtr image);

    [LibraryImport("libgobject-2.0.so.0", EntryPoint = "g_object_unref")]
    private static partial void Unref(IntPtr image);

    [LibraryImport("libglib-2.0.so.0", EntryPoint = "g_free")]
    private static partial void Free(IntPtr memory);
}

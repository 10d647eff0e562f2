using System.Runtime.InteropServices;

namespace Dental.Thumbnailer.Vips;

/// <summary>
/// The few libvips (8.14, Debian's libvips42) entry points the thumbnailer needs. NetVips is not in the
/// registry here, so they are declared directly. libvips' variadic option lists are declared with fixed
/// trailing arguments and a null terminator; that is sound on x86-64 Linux as long as no double goes
/// through the variadic part (doubles are passed through an array pointer instead).
/// </summary>
internal static partial class VipsNative
{
    public const string Vips = "libvips.so.42";
    public const string GObject = "libgobject-2.0.so.0";
    public const string GLib = "libglib-2.0.so.0";

    public const int FormatUShort = 2; // VIPS_FORMAT_USHORT
    public const int SizeDown = 2; // VIPS_SIZE_DOWN: never enlarge a small original
    public const int InterpretationBw = 1; // VIPS_INTERPRETATION_B_W: 8-bit greyscale

    [LibraryImport(Vips, EntryPoint = "vips_init", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Init(string argv0);

    [LibraryImport(Vips, EntryPoint = "vips_cache_set_max")]
    public static partial void CacheSetMax(int max);

    [LibraryImport(Vips, EntryPoint = "vips_concurrency_set")]
    public static partial void ConcurrencySet(int concurrency);

    [LibraryImport(Vips, EntryPoint = "vips_error_buffer")]
    public static partial IntPtr ErrorBuffer();

    [LibraryImport(Vips, EntryPoint = "vips_error_clear")]
    public static partial void ErrorClear();

    [LibraryImport(Vips, EntryPoint = "vips_image_new_from_buffer", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ImageNewFromBuffer(IntPtr buffer, nuint length, string optionString, IntPtr terminator);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_width")]
    public static partial int ImageGetWidth(VipsImage image);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_height")]
    public static partial int ImageGetHeight(VipsImage image);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_bands")]
    public static partial int ImageGetBands(VipsImage image);

    [LibraryImport(Vips, EntryPoint = "vips_image_get_format")]
    public static partial int ImageGetFormat(VipsImage image);

    [LibraryImport(Vips, EntryPoint = "vips_image_hasalpha")]
    public static partial int ImageHasAlpha(VipsImage image);

    [LibraryImport(Vips, EntryPoint = "vips_thumbnail_buffer", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ThumbnailBuffer(
        IntPtr buffer, nuint length, out IntPtr result, int width,
        string heightName, int height, string sizeName, int size, string optionName, string optionValue, IntPtr terminator);

    [LibraryImport(Vips, EntryPoint = "vips_thumbnail_image", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ThumbnailImage(VipsImage input, out IntPtr result, int width, string heightName, int height, string sizeName, int size, IntPtr terminator);

    [LibraryImport(Vips, EntryPoint = "vips_image_copy_memory")]
    public static partial IntPtr ImageCopyMemory(VipsImage image);

    /// <summary>The scale is a fixed (not variadic) double, so it is passed directly.</summary>
    [LibraryImport(Vips, EntryPoint = "vips_resize")]
    public static partial int Resize(VipsImage input, out IntPtr result, double scale, IntPtr terminator);

    [LibraryImport(Vips, EntryPoint = "vips_autorot")]
    public static partial int Autorotate(VipsImage input, out IntPtr result, IntPtr terminator);

    [LibraryImport(Vips, EntryPoint = "vips_copy", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int CopyWithInterpretation(VipsImage input, out IntPtr result, string interpretationName, int interpretation, IntPtr terminator);

    [LibraryImport(Vips, EntryPoint = "vips_scale")]
    public static partial int Scale(VipsImage input, out IntPtr result, IntPtr terminator);

    [LibraryImport(Vips, EntryPoint = "vips_flatten", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Flatten(VipsImage input, out IntPtr result, string backgroundName, IntPtr background, IntPtr terminator);

    [LibraryImport(Vips, EntryPoint = "vips_array_double_new")]
    public static partial IntPtr ArrayDoubleNew([In] double[] array, int count);

    [LibraryImport(Vips, EntryPoint = "vips_area_unref")]
    public static partial void AreaUnref(IntPtr area);

    [LibraryImport(Vips, EntryPoint = "vips_jpegsave_buffer", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int JpegSaveBuffer(
        VipsImage input, out IntPtr buffer, out nuint length,
        string qualityName, int quality, string stripName, int strip, string optimizeName, int optimize, IntPtr terminator);

    [LibraryImport(GObject, EntryPoint = "g_object_unref")]
    public static partial void ObjectUnref(IntPtr instance);

    [LibraryImport(GLib, EntryPoint = "g_free")]
    public static partial void Free(IntPtr memory);
}

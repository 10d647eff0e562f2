using Microsoft.Win32.SafeHandles;

namespace Dental.Thumbnailer.Vips;

/// <summary>A libvips image reference, released (g_object_unref) deterministically, including on failure paths.</summary>
internal sealed class VipsImage : SafeHandleZeroOrMinusOneIsInvalid
{
    public VipsImage()
        : base(ownsHandle: true)
    {
    }

    public static VipsImage FromPointer(IntPtr pointer)
    {
        var image = new VipsImage();
        image.SetHandle(pointer);
        return image;
    }

    public int Width => VipsNative.ImageGetWidth(this);

    public int Height => VipsNative.ImageGetHeight(this);

    public int Bands => VipsNative.ImageGetBands(this);

    public bool IsSixteenBit => VipsNative.ImageGetFormat(this) == VipsNative.FormatUShort;

    public bool HasAlpha => VipsNative.ImageHasAlpha(this) != 0;

    protected override bool ReleaseHandle()
    {
        VipsNative.ObjectUnref(handle);
        return true;
    }
}

using System.Runtime.InteropServices;
using Dental.Contracts.Events;
using Dental.Contracts.Imaging;
using Dental.Thumbnailer.Vips;
using Microsoft.Extensions.Options;

namespace Dental.Thumbnailer.Rendering;

public sealed record RenderedPreview(string Size, byte[] Jpeg, int Width, int Height);

public sealed record RenderResult(int OriginalWidth, int OriginalHeight, IReadOnlyList<RenderedPreview> Previews);

/// <summary>An original that can never be rendered; reported once as ImageRejected, never retried.</summary>
public sealed class ImageRejectedException(string reason, string detail) : Exception(detail)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Renders every configured preview of an original with libvips: header checked first (format, pixel
/// limit) so bombs are refused before decoding; shrink-on-load; EXIF orientation applied; 16-bit
/// greyscale X-rays stretched to the full 8-bit range; alpha flattened onto white; CMYK and embedded
/// profiles converted to sRGB; every metadata field (EXIF, XMP, IPTC, ICC) stripped from the JPEG.
/// </summary>
public sealed class PreviewRenderer(IOptions<ThumbnailerOptions> options)
{
    // Truncated or damaged data fails the render instead of producing a half-grey preview.
    private const string LoadOptions = "[fail_on=truncated]";
    private static readonly double[] White = [255, 255, 255];

    public RenderResult Render(byte[] original)
    {
        VipsLibrary.EnsureInitialized();
        var settings = options.Value;
        // libvips pipelines are lazy: the input stays pinned until the last save has finished.
        var pin = GCHandle.Alloc(original, GCHandleType.Pinned);
        try
        {
            var address = pin.AddrOfPinnedObject();
            var length = (nuint)original.Length;
            using var header = OpenHeader(address, length, original);
            var decodesInFull = ImageHeader.Read(original.AsSpan(0, Math.Min(original.Length, 64 * 1024)), complete: true).DecodesInFull;
            var (limit, what) = PixelLimits.For(settings, decodesInFull, header.IsSixteenBit);
            if ((long)header.Width * header.Height > limit)
            {
                throw new ImageRejectedException(RejectionReason.TooLarge, $"{header.Width}×{header.Height} pixels is above the limit of {limit} for {what}.");
            }

            // The largest preview is decoded from the original (shrink-on-load); each smaller one is made
            // from the previous preview held in memory, so the original is decoded only once.
            var previews = new List<RenderedPreview>();
            VipsImage? previous = null;
            try
            {
                foreach (var (size, spec) in settings.Sizes.OrderByDescending(s => s.Value.MaxEdge).ThenBy(s => s.Key, StringComparer.Ordinal))
                {
                    using var rendered = previous is not null ? ThumbnailOf(previous, spec.MaxEdge)
                        : header.IsSixteenBit && header.Bands == 1 ? StretchedThumbnail(header, spec.MaxEdge)
                        : Thumbnail(address, length, spec.MaxEdge);
                    previous?.Dispose();
                    previous = InMemory(rendered);
                    previews.Add(Encode(size, previous, spec.Quality));
                }
            }
            finally
            {
                previous?.Dispose();
            }

            return new RenderResult(header.Width, header.Height, previews);
        }
        finally
        {
            pin.Free();
        }
    }

    private static VipsImage OpenHeader(IntPtr address, nuint length, byte[] original)
    {
        var pointer = VipsNative.ImageNewFromBuffer(address, length, "", IntPtr.Zero);
        if (pointer != IntPtr.Zero)
        {
            return VipsImage.FromPointer(pointer);
        }

        var error = VipsLibrary.Error("open");
        var sniffed = ImageHeader.Read(original, complete: true).Status;
        throw sniffed == HeaderStatus.Unsupported
            ? new ImageRejectedException(RejectionReason.Unsupported, "The file is not an image format the platform accepts.")
            : new ImageRejectedException(RejectionReason.Corrupt, error.Detail);
    }

    private static RenderedPreview Encode(string size, VipsImage image, int quality)
    {
        using var flat = image.HasAlpha ? FlattenOnWhite(image) : null;
        var final = flat ?? image;
        return new RenderedPreview(size, SaveJpeg(final, quality), final.Width, final.Height);
    }

    private static VipsImage InMemory(VipsImage image) =>
        Check(VipsNative.ImageCopyMemory(image) is var copy && copy != IntPtr.Zero ? 0 : -1, copy, "copy_memory");

    private static VipsImage ThumbnailOf(VipsImage image, int edge) =>
        Check(VipsNative.ThumbnailImage(image, out var thumb, edge, "height", edge, "size", VipsNative.SizeDown, IntPtr.Zero), thumb, "thumbnail");

    private static VipsImage Thumbnail(IntPtr address, nuint length, int edge) =>
        Check(
            VipsNative.ThumbnailBuffer(address, length, out var result, edge, "height", edge, "size", VipsNative.SizeDown, "option_string", LoadOptions, IntPtr.Zero),
            result,
            "thumbnail");

    /// <summary>
    /// X-ray sensors fill 10–14 of 16 bits; without stretching min..max to 0..255 the preview is nearly black.
    /// The original is shrunk first, still in 16 bits (no precision lost before the stretch), so the stretch's
    /// min/max pass reads the preview-sized image instead of the full one: a third of the work.
    /// </summary>
    private static VipsImage StretchedThumbnail(VipsImage sixteenBit, int edge)
    {
        var scale = Math.Min(1.0, (double)edge / Math.Max(sixteenBit.Width, sixteenBit.Height));
        using var small = Check(VipsNative.Resize(sixteenBit, out var resized, scale, IntPtr.Zero), resized, "resize");
        using var upright = Check(VipsNative.Autorotate(small, out var rotated, IntPtr.Zero), rotated, "autorot");
        using var stretched = Check(VipsNative.Scale(upright, out var scaled, IntPtr.Zero), scaled, "scale");
        return Check(VipsNative.CopyWithInterpretation(stretched, out var grey, "interpretation", VipsNative.InterpretationBw, IntPtr.Zero), grey, "copy");
    }

    private static VipsImage FlattenOnWhite(VipsImage image)
    {
        var background = VipsNative.ArrayDoubleNew(White, White.Length);
        try
        {
            return Check(VipsNative.Flatten(image, out var result, "background", background, IntPtr.Zero), result, "flatten");
        }
        finally
        {
            VipsNative.AreaUnref(background);
        }
    }

    private static byte[] SaveJpeg(VipsImage image, int quality)
    {
        if (VipsNative.JpegSaveBuffer(image, out var buffer, out var length, "Q", quality, "strip", 1, "optimize_coding", 1, IntPtr.Zero) != 0)
        {
            throw new ImageRejectedException(RejectionReason.Corrupt, VipsLibrary.Error("jpegsave").Detail);
        }

        try
        {
            var jpeg = new byte[(int)length];
            Marshal.Copy(buffer, jpeg, 0, jpeg.Length);
            return jpeg;
        }
        finally
        {
            VipsNative.Free(buffer);
        }
    }

    private static VipsImage Check(int status, IntPtr result, string operation)
    {
        if (status == 0 && result != IntPtr.Zero)
        {
            return VipsImage.FromPointer(result);
        }

        // Decoding failed on the image's own data: a corrupt file, not a transient fault.
        throw new ImageRejectedException(RejectionReason.Corrupt, VipsLibrary.Error(operation).Detail);
    }
}

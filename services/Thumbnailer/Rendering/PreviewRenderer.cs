using System.Diagnostics;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Contracts.Imaging;
using Microsoft.Extensions.Options;
using NetVips;

namespace Dental.Thumbnailer.Rendering;

public sealed record RenderedPreview(string Size, byte[] Jpeg, int Width, int Height);

public sealed record RenderResult(int OriginalWidth, int OriginalHeight, IReadOnlyList<RenderedPreview> Previews, DicomFacts? Dicom = null);

/// <summary>An original that can never be rendered; reported once as ImageRejected, never retried.</summary>
public sealed class ImageRejectedException(string reason, string detail) : Exception(detail)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Renders every configured preview of an original with libvips (NetVips): header checked first (format, pixel
/// limit) so bombs are refused before decoding; shrink-on-load; EXIF orientation applied; 16-bit greyscale X-rays
/// stretched to the full 8-bit range; alpha flattened onto white; CMYK and embedded profiles converted to sRGB;
/// every metadata field (EXIF, XMP, IPTC, ICC) left out of the JPEG. HEIC is decoded by libheif, DICOM by GDCM.
/// </summary>
public sealed class PreviewRenderer(IOptions<ThumbnailerOptions> options, HeifDecoder heif, DicomDecoder dicom)
{
    // Truncated or damaged data fails the render instead of producing a half-grey preview.
    private const string LoadOptions = "[fail_on=truncated]";
    private static readonly double[] White = [255, 255, 255];
    private static readonly int[] JpegScales = [8, 4, 2];

    /// <summary>
    /// An image's previews from one decode: small and medium, and with <paramref name="withLarge"/> the viewing rendition first,
    /// whose pixels small and medium are then made from (a second decode for it alone cost more than its encode: see the
    /// README's thumbnail figures).
    /// </summary>
    public RenderResult Render(byte[] original, bool withLarge) => Render(original, withLarge
        ? new Dictionary<string, PreviewSpec>(options.Value.Sizes) { [PreviewSize.Large] = options.Value.Large }
        : options.Value.Sizes);

    /// <summary>The viewing rendition alone, from the original: repair's backfill for images stored before it existed.</summary>
    public RenderedPreview RenderLarge(byte[] original) =>
        Render(original, new Dictionary<string, PreviewSpec> { [PreviewSize.Large] = options.Value.Large }).Previews.Single();

    private RenderResult Render(byte[] original, IReadOnlyDictionary<string, PreviewSpec> sizes)
    {
        VipsRuntime.EnsureInitialized();
        var settings = options.Value;
        var sniffed = Sniff(original);
        if (sniffed.Status == HeaderStatus.Unsupported)
        {
            throw new ImageRejectedException(RejectionReason.Unsupported, sniffed.Problem ?? "The file is not an image format the platform accepts.");
        }

        if (sniffed.Status == HeaderStatus.Ok && sniffed.Format == ImageFormat.Dicom)
        {
            return RenderDicom(original, sniffed, settings, sizes);
        }

        if (sniffed.Status == HeaderStatus.Ok && sniffed.Format == ImageFormat.Heic)
        {
            original = DecodedElsewhere(original, sniffed, settings);
            sniffed = Sniff(original);
        }

        using var header = OpenHeader(original);
        var sixteenBitGrey = header.Format == Enums.BandFormat.Ushort && header.Bands == 1;
        var (limit, what) = PixelLimits.For(settings, sniffed.DecodesInFull, header.Format == Enums.BandFormat.Ushort);
        if ((long)header.Width * header.Height > limit)
        {
            throw new ImageRejectedException(RejectionReason.TooLarge, $"{header.Width}×{header.Height} pixels is above the limit of {limit} for {what}.");
        }

        var previews = RenderSizes(sizes, (edge, budget) => sixteenBitGrey ? StretchedThumbnail(original, header, edge, budget)
            : sniffed.Format == ImageFormat.Jpeg ? JpegThumbnail(original, header, edge)
            : Image.ThumbnailBuffer(original, edge, optionString: LoadOptions, height: edge, size: Enums.Size.Down));
        var (width, height) = Upright(header);
        return new RenderResult(width, height, previews);
    }

    /// <summary>A DICOM's pixel limit counts every frame (GDCM decodes them all); the decoder hands over the shown frame ready for display.</summary>
    private RenderResult RenderDicom(byte[] original, HeaderResult sniffed, ThumbnailerOptions settings, IReadOnlyDictionary<string, PreviewSpec> sizes)
    {
        RefuseAboveLimit(sniffed, settings);
        var decoded = dicom.Decode(original, sizes.Values.Max(s => s.MaxEdge));
        var previews = RenderSizes(sizes, (_, _) => decoded.Display);
        return new RenderResult(decoded.Facts.Columns, decoded.Facts.Rows, previews, decoded.Facts);
    }

    /// <summary>
    /// The largest preview comes from <paramref name="largest"/> (shrink-on-load from the original); each smaller one is made
    /// from the previous preview held in memory, so the original is decoded only once.
    /// </summary>
    private List<RenderedPreview> RenderSizes(IReadOnlyDictionary<string, PreviewSpec> sizes, Func<int, CancellationToken, Image> largest)
    {
        var previews = new List<RenderedPreview>();
        Image? previous = null;
        var timeout = options.Value.RenderTimeout;
        using var budget = new CancellationTokenSource(timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var (size, spec) in sizes.OrderByDescending(s => s.Value.MaxEdge).ThenBy(s => s.Key, StringComparer.Ordinal))
            {
                var rendered = Run("thumbnail", () => previous is not null
                    ? previous.ThumbnailImage(spec.MaxEdge, height: spec.MaxEdge, size: Enums.Size.Down)
                    : largest(spec.MaxEdge, budget.Token), timeout, budget.Token);
                using (rendered)
                {
                    // libvips computes lazily, here: it looks at the token as it goes and stops once the budget is spent.
                    rendered.SetProgress(NoProgress.Instance, budget.Token);
                    previous?.Dispose();
                    previous = Run("copy_memory", () => rendered.CopyMemory(), timeout, budget.Token);
                }

                previews.Add(Encode(size, previous, spec.Quality));
                // The budget's timer fires on the thread pool, which a busy machine can make late: the clock decides.
                if (clock.Elapsed > timeout)
                {
                    throw OverBudget(timeout);
                }
            }
        }
        finally
        {
            previous?.Dispose();
        }

        return previews;
    }

    /// <summary>The size a viewer shows: EXIF orientations 5–8 turn the picture by a quarter, so its stored width is its height.</summary>
    private static (int Width, int Height) Upright(Image header) =>
        header.Contains("orientation") && header.Get("orientation") is int orientation and >= 5 and <= 8
            ? (header.Height, header.Width)
            : (header.Width, header.Height);

    private static HeaderResult Sniff(byte[] original) => ImageHeader.Read(original.AsSpan(0, Math.Min(original.Length, 64 * 1024)), complete: true);

    /// <summary>A HEIC is decoded by libheif out of process (after its pixel size passed the limit), then rendered as the JPEG it becomes.</summary>
    private byte[] DecodedElsewhere(byte[] original, HeaderResult sniffed, ThumbnailerOptions settings)
    {
        RefuseAboveLimit(sniffed, settings);
        return heif.ToJpeg(original);
    }

    /// <summary>For formats another decoder opens (HEIC, DICOM): the limit is judged from the header before it runs.</summary>
    private static void RefuseAboveLimit(HeaderResult sniffed, ThumbnailerOptions settings)
    {
        var (limit, what) = PixelLimits.For(settings, sniffed.DecodesInFull, sniffed.BitsPerSample > 8);
        if (sniffed.Pixels > limit)
        {
            var frames = sniffed.Frames > 1 ? $" × {sniffed.Frames} frames" : "";
            throw new ImageRejectedException(RejectionReason.TooLarge, $"{sniffed.Width}×{sniffed.Height} pixels{frames} is above the limit of {limit} for {what}.");
        }
    }

    private static Image OpenHeader(byte[] original)
    {
        try
        {
            return Image.NewFromBuffer(original);
        }
        catch (VipsException ex)
        {
            // Unsupported formats were refused by their magic bytes before: this is an accepted format libvips cannot read.
            throw new ImageRejectedException(RejectionReason.Corrupt, FirstLine(ex));
        }
    }

    private static RenderedPreview Encode(string size, Image image, int quality)
    {
        using var flat = image.HasAlpha() ? Run("flatten", () => image.Flatten(background: White)) : null;
        var final = flat ?? image;
        var jpeg = Run("jpegsave", () => final.JpegsaveBuffer(q: quality, optimizeCoding: true, keep: Enums.ForeignKeep.None));
        return new RenderedPreview(size, jpeg, final.Width, final.Height);
    }

    /// <summary>
    /// A JPEG decoded at the largest DCT scale (1/8, 1/4, 1/2) that still covers the preview, then fitted. libvips' own
    /// thumbnail keeps a further factor of two in hand for its final reduce; the scaled DCT already averages, and decoding at
    /// 1/8 instead of 1/4 is what a 12 MP photo's preview costs most (measured: see the README's thumbnail figures).
    /// </summary>
    private static Image JpegThumbnail(byte[] original, Image header, int edge)
    {
        var longest = Math.Max(header.Width, header.Height);
        var shrink = JpegScales.FirstOrDefault(s => longest / s >= edge, 1);
        using var scaled = Image.JpegloadBuffer(original, shrink: shrink, failOn: Enums.FailOn.Truncated);
        return scaled.ThumbnailImage(edge, height: edge, size: Enums.Size.Down);
    }

    /// <summary>
    /// X-ray sensors fill 10–14 of 16 bits; without stretching min..max to 0..255 the preview is nearly black. The
    /// original is decoded once, in order, and shrunk still in 16 bits (no precision lost before the stretch) into memory,
    /// so the stretch's two passes (min/max, then the mapping) read the preview-sized image, not the file again.
    /// </summary>
    private static Image StretchedThumbnail(byte[] original, Image header, int edge, CancellationToken budget)
    {
        var scale = Math.Min(1.0, (double)edge / Math.Max(header.Width, header.Height));
        using var sequential = Image.NewFromBuffer(original, LoadOptions, access: Enums.Access.Sequential);
        using var shrunk = sequential.Resize(scale);
        shrunk.SetProgress(NoProgress.Instance, budget);
        using var small = shrunk.CopyMemory();
        using var upright = small.Autorot();
        using var stretched = upright.ScaleImage();
        return stretched.Copy(interpretation: Enums.Interpretation.Bw);
    }

    /// <summary>
    /// A failure of libvips on the image's own data is a corrupt file, not a transient fault; one stopped because the image's
    /// time budget ran out is an image too costly to render.
    /// </summary>
    private static T Run<T>(string operation, Func<T> step, TimeSpan timeout = default, CancellationToken budget = default)
    {
        try
        {
            return step();
        }
        catch (VipsException) when (budget.IsCancellationRequested)
        {
            throw OverBudget(timeout);
        }
        catch (VipsException ex)
        {
            throw new ImageRejectedException(RejectionReason.Corrupt, $"{operation}: {FirstLine(ex)}");
        }
    }

    private static ImageRejectedException OverBudget(TimeSpan timeout) =>
        new(RejectionReason.TooLarge, $"rendering took longer than the {timeout.TotalSeconds:0.###} s one image may take");

    private static string FirstLine(VipsException ex) =>
        ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(l => l.Length > 0) is { } line
            ? line
            : "libvips could not decode the image and gave no reason";
}

/// <summary>NetVips watches a render's cancellation token only for an image that reports progress somewhere.</summary>
file sealed class NoProgress : IProgress<int>
{
    public static readonly NoProgress Instance = new();

    public void Report(int value)
    {
    }
}

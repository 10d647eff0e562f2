using Dental.Thumbnailer.Rendering;
using NetVips;

namespace Dental.Testing;

/// <summary>TIFF and WebP files written by libvips itself (NetVips, the build the Thumbnailer ships) from generated pixels.</summary>
public static class VipsFixtures
{
    /// <summary>A 16-bit greyscale TIFF, as some X-ray software exports: <paramref name="sample"/> gives each pixel's value.</summary>
    public static byte[] Tiff16(int width, int height, Func<int, int, int> sample)
    {
        VipsRuntime.EnsureInitialized();
        var values = new ushort[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                values[(y * width) + x] = (ushort)sample(x, y);
            }
        }

        using var image = Image.NewFromMemory(values, width, height, 1, Enums.BandFormat.Ushort);
        using var grey = image.Copy(interpretation: Enums.Interpretation.Grey16);
        return grey.TiffsaveBuffer();
    }

    /// <summary>A multi-page TIFF whose pages are flat grey at the given levels, first page first.</summary>
    public static byte[] MultiPageTiff(int width, int height, params int[] levels)
    {
        VipsRuntime.EnsureInitialized();
        var pages = levels.Select(level => Image.Black(width, height).Linear([1.0], [(double)level]).Cast(Enums.BandFormat.Uchar)).ToArray();
        try
        {
            using var stacked = Image.Arrayjoin(pages, across: 1);
            using var paged = stacked.Mutate(m => m.Set(GValue.GIntType, "page-height", height));
            return paged.TiffsaveBuffer();
        }
        finally
        {
            foreach (var page in pages)
            {
                page.Dispose();
            }
        }
    }

    /// <summary>A JPEG-compressed TIFF: libvips stores it as YCbCr with its chroma subsampled, as scanners and cameras do.</summary>
    public static byte[] SubsampledTiff(byte[] png)
    {
        VipsRuntime.EnsureInitialized();
        using var image = Image.NewFromBuffer(png);
        return image.TiffsaveBuffer(compression: Enums.ForeignTiffCompression.Jpeg, q: 85);
    }

    public static byte[] WebP(byte[] png)
    {
        VipsRuntime.EnsureInitialized();
        using var image = Image.NewFromBuffer(png);
        return image.WebpsaveBuffer(q: 80);
    }
}

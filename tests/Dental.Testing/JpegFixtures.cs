using System.Buffers.Binary;
using Dental.Thumbnailer;
using Dental.Thumbnailer.Rendering;
using Microsoft.Extensions.Options;

namespace Dental.Testing;

/// <summary>Real JPEGs made by the tests: encoded by libvips from generated pixels, with EXIF added by hand where needed.</summary>
public static class JpegFixtures
{
    public static byte[] Encode(byte[] png, int maxEdge, int quality = 90)
    {
        var options = Options.Create(new ThumbnailerOptions
        {
            Sizes = new() { ["full"] = new PreviewSpec { MaxEdge = maxEdge, Quality = quality } },
        });
        var renderer = new PreviewRenderer(options, new HeifDecoder(options), new DicomDecoder());
        return renderer.Render(png, withLarge: false).Previews.Single().Jpeg;
    }

    /// <summary>A photo-like 4000×3000 JPEG (gradients and texture, so it compresses like a real photo).</summary>
    public static byte[] Photo4000x3000(int seed = 0) =>
        Encode(TestImages.Png(4000, 3000, sample: (x, y, c) => ((x / 7) + (y / 5) + (c * 60) + ((x * y * (seed + 3)) % 23)) % 256), 4000);

    /// <summary>Inserts an EXIF segment with the given orientation and a GPS latitude right after the JPEG's SOI marker.</summary>
    public static byte[] WithExif(byte[] jpeg, ushort orientation)
    {
        var tiff = new List<byte>();
        tiff.AddRange("II*\0"u8.ToArray());
        tiff.AddRange(LittleEndian(8u));
        // IFD0: Orientation, GPS IFD pointer; then the GPS IFD with GPSLatitudeRef = "N".
        tiff.AddRange(LittleEndian((ushort)2));
        tiff.AddRange(Entry(0x0112, 3, 1, orientation));
        tiff.AddRange(Entry(0x8825, 4, 1, 8 + 2 + (2 * 12) + 4));
        tiff.AddRange(LittleEndian(0u));
        tiff.AddRange(LittleEndian((ushort)1));
        tiff.AddRange(Entry(0x0001, 2, 2, 'N'));
        tiff.AddRange(LittleEndian(0u));
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>The APPn markers (0xE0–0xEF) before the image data: where EXIF, ICC, XMP and IPTC live.</summary>
    public static List<byte> ApplicationMarkers(byte[] jpeg)
    {
        var markers = new List<byte>();
        var i = 2;
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF && jpeg[i + 1] != 0xDA)
        {
            if (jpeg[i + 1] is >= 0xE0 and <= 0xEF)
            {
                markers.Add(jpeg[i + 1]);
            }

            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
        }

        return markers;
    }

    private static byte[] Entry(ushort tag, ushort type, uint count, uint value) =>
        [.. LittleEndian(tag), .. LittleEndian(type), .. LittleEndian(count), .. LittleEndian(value)];

    private static byte[] LittleEndian(ushort value) => [(byte)value, (byte)(value >> 8)];

    private static byte[] LittleEndian(uint value) => BitConverter.GetBytes(value);
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Dental.Testing;

/// <summary>Image files made by the tests themselves: real PNGs, and files whose headers are all that matters.</summary>
public static class TestImages
{
    public enum PngColor : byte
    {
        Gray = 0,
        Rgb = 2,
        Rgba = 6,
    }

    /// <summary>A real, decodable PNG; <paramref name="sample"/> gives each channel value (0–255, or 0–65535 at 16 bits).</summary>
    public static byte[] Png(int width, int height, PngColor color = PngColor.Rgb, int bitDepth = 8, Func<int, int, int, int>? sample = null)
    {
        sample ??= (x, y, c) => ((x * 7) + (y * 13) + (c * 50)) % 256;
        var channels = color switch { PngColor.Gray => 1, PngColor.Rgb => 3, _ => 4 };
        var bytesPerSample = bitDepth / 8;
        var raw = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            raw.WriteByte(0);
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    var v = sample(x, y, c);
                    if (bytesPerSample == 2)
                    {
                        raw.WriteByte((byte)(v >> 8));
                    }

                    raw.WriteByte((byte)v);
                }
            }
        }

        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            raw.Position = 0;
            raw.CopyTo(z);
        }

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)color;
        return PngFile(ihdr, compressed.ToArray());
    }

    /// <summary>A PNG header declaring <paramref name="width"/>×<paramref name="height"/> with almost no data: a decompression bomb's calling card.</summary>
    public static byte[] PngHeaderOnly(int width, int height, int bitDepth = 8, PngColor color = PngColor.Rgb)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)color;
        return PngFile(ihdr, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    }

    /// <summary>Bytes that start like a JPEG with the given dimensions and continue with noise up to <paramref name="totalBytes"/>.</summary>
    public static byte[] JpegLike(int width, int height, int totalBytes = 4096, int seed = 1)
    {
        var data = new byte[Math.Max(totalBytes, 64)];
        new Random(seed).NextBytes(data);
        byte[] header =
        [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
            0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03,
            0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
        ];
        header.CopyTo(data, 0);
        return data;
    }

    /// <summary>A JPEG cut off inside its header.</summary>
    public static byte[] TruncatedJpeg() => JpegLike(800, 600)[..24];

    /// <summary>A Linux executable's first bytes, as a file renamed to .jpg would carry them.</summary>
    public static byte[] Executable()
    {
        var data = new byte[2048];
        new Random(7).NextBytes(data);
        "\u007fELF"u8.CopyTo(data);
        return data;
    }

    private static byte[] PngFile(byte[] ihdr, byte[] idat)
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR", ihdr);
        WriteChunk(png, "IDAT", idat);
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typeAndData));
        png.Write(crc);
    }
}

using System.Buffers.Binary;

namespace Dental.Contracts.Imaging;

public enum HeaderStatus
{
    /// <summary>Format and pixel dimensions are known.</summary>
    Ok,

    /// <summary>The bytes so far are a valid beginning; more are needed to find the dimensions.</summary>
    NeedMoreData,

    /// <summary>Not one of the accepted formats (<see cref="ImageFormat.All"/>), or a variant of one that cannot be decoded.</summary>
    Unsupported,

    /// <summary>An accepted format whose header is broken.</summary>
    Corrupt,
}

public sealed record ImageFormat(string Name, string ContentType, string Extension, string Label)
{
    public static readonly ImageFormat Jpeg = new("jpeg", "image/jpeg", "jpg", "JPEG");
    public static readonly ImageFormat Png = new("png", "image/png", "png", "PNG");
    public static readonly ImageFormat Tiff = new("tiff", "image/tiff", "tif", "TIFF");
    public static readonly ImageFormat WebP = new("webp", "image/webp", "webp", "WebP");

    /// <summary>HEIF with HEVC-coded images: what iPhones' cameras save.</summary>
    public static readonly ImageFormat Heic = new("heic", "image/heic", "heic", "HEIC");

    /// <summary>HEIF with AV1-coded images: what newer Android phones save.</summary>
    public static readonly ImageFormat Avif = new("avif", "image/avif", "avif", "AVIF");

    /// <summary>DICOM Part 10: what intraoral, panoramic and cephalometric X-ray sensors export.</summary>
    public static readonly ImageFormat Dicom = new("dicom", "application/dicom", "dcm", "DICOM");

    public static IReadOnlyList<ImageFormat> All { get; } = [Jpeg, Png, Tiff, WebP, Heic, Avif, Dicom];

    /// <summary>The content types of every accepted format.</summary>
    public static IReadOnlyList<string> ContentTypes { get; } = [.. All.Select(f => f.ContentType)];

    /// <summary>"JPEG, PNG, …, or DICOM": the accepted formats, for messages.</summary>
    public static string Names { get; } = $"{string.Join(", ", All.SkipLast(1).Select(f => f.Label))} or {All[^1].Label}";
}

public readonly record struct HeaderResult(
    HeaderStatus Status, ImageFormat? Format = null, int Width = 0, int Height = 0, string? Problem = null, int BitsPerSample = 8, int Frames = 1)
{
    /// <summary>What a decoder holds in memory: every frame of a multi-frame DICOM is decoded, even if one is shown.</summary>
    public long Pixels => (long)Width * Height * Frames;

    /// <summary>Only JPEG decodes at a fraction of its size (shrink-on-load); every other format is decoded in full.</summary>
    public bool DecodesInFull => Format != ImageFormat.Jpeg;
}

/// <summary>
/// Reads the real format (magic bytes) and pixel dimensions from the first bytes of a file, without
/// decoding anything, so that renamed files and decompression bombs are refused at the door.
/// </summary>
public static class ImageHeader
{
    public static HeaderResult Read(ReadOnlySpan<byte> data, bool complete)
    {
        var result = ReadCore(data);
        return (result.Status, complete) switch
        {
            (HeaderStatus.NeedMoreData, true) when result.Format is null => Unsupported(),
            (HeaderStatus.NeedMoreData, true) => new HeaderResult(HeaderStatus.Corrupt, result.Format, Problem: "the file ends inside its header (truncated)"),
            _ => result,
        };
    }

    private static HeaderResult ReadCore(ReadOnlySpan<byte> d)
    {
        if (DicomHeader.IsDicom(d))
        {
            return DicomHeader.Read(d);
        }

        if (d.Length < 12)
        {
            return new HeaderResult(HeaderStatus.NeedMoreData);
        }

        if (d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        {
            return Jpeg(d);
        }

        if (d.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png(d);
        }

        if (d.StartsWith("II*\0"u8) || d.StartsWith("MM\0*"u8))
        {
            return Tiff(d);
        }

        if (d.StartsWith("RIFF"u8) && d[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP(d);
        }

        if (d[4..8].SequenceEqual("ftyp"u8))
        {
            return IsoMediaHeader.Read(d);
        }

        // A DICOM file's preamble is 128 bytes of anything: its DICM marker can only be judged at byte 132.
        return d.Length < DicomHeader.PreambleLength ? new HeaderResult(HeaderStatus.NeedMoreData) : Unsupported();
    }

    private static HeaderResult Unsupported() =>
        new(HeaderStatus.Unsupported, Problem: $"the file is not a {ImageFormat.Names} image");

    internal static HeaderResult Corrupt(ImageFormat format, string problem) => new(HeaderStatus.Corrupt, format, Problem: problem);

    internal static HeaderResult Dimensions(ImageFormat format, int width, int height) =>
        width > 0 && height > 0
            ? new HeaderResult(HeaderStatus.Ok, format, width, height)
            : Corrupt(format, "the header declares zero pixels");

    private static HeaderResult Jpeg(ReadOnlySpan<byte> d)
    {
        var i = 2;
        while (true)
        {
            if (i + 4 > d.Length)
            {
                return new HeaderResult(HeaderStatus.NeedMoreData, ImageFormat.Jpeg);
            }

            if (d[i] != 0xFF)
            {
                return Corrupt(ImageFormat.Jpeg, "a JPEG marker was expected");
            }

            var marker = d[i + 1];
            if (marker == 0xFF)
            {
                i++;
                continue;
            }

            if (marker is 0xD8 or 0x01 or >= 0xD0 and <= 0xD7)
            {
                i += 2;
                continue;
            }

            if (marker is 0xD9 or 0xDA)
            {
                return Corrupt(ImageFormat.Jpeg, "the image data starts before any frame header");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(d[(i + 2)..]);
            if (length < 2)
            {
                return Corrupt(ImageFormat.Jpeg, "a JPEG segment has an impossible length");
            }

            var isFrameHeader = marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
            if (isFrameHeader)
            {
                if (i + 9 > d.Length)
                {
                    return new HeaderResult(HeaderStatus.NeedMoreData, ImageFormat.Jpeg);
                }

                return Dimensions(ImageFormat.Jpeg, BinaryPrimitives.ReadUInt16BigEndian(d[(i + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(d[(i + 5)..]));
            }

            i += 2 + length;
        }
    }

    private static HeaderResult Png(ReadOnlySpan<byte> d)
    {
        if (d.Length < 25)
        {
            return new HeaderResult(HeaderStatus.NeedMoreData, ImageFormat.Png);
        }

        if (!d[12..16].SequenceEqual("IHDR"u8))
        {
            return Corrupt(ImageFormat.Png, "the PNG does not start with its IHDR chunk");
        }

        var width = BinaryPrimitives.ReadUInt32BigEndian(d[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(d[20..]);
        return width > int.MaxValue || height > int.MaxValue
            ? Corrupt(ImageFormat.Png, "the PNG declares impossible dimensions")
            : Dimensions(ImageFormat.Png, (int)width, (int)height) with { BitsPerSample = d[24] };
    }

    private static HeaderResult WebP(ReadOnlySpan<byte> d)
    {
        if (d.Length < 30)
        {
            return new HeaderResult(HeaderStatus.NeedMoreData, ImageFormat.WebP);
        }

        var chunk = d[12..16];
        if (chunk.SequenceEqual("VP8X"u8))
        {
            return Dimensions(ImageFormat.WebP, ReadUInt24(d[24..]) + 1, ReadUInt24(d[27..]) + 1);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (d[20] != 0x2F)
            {
                return Corrupt(ImageFormat.WebP, "the lossless WebP signature is missing");
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(d[21..]);
            return Dimensions(ImageFormat.WebP, (int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }

        if (chunk.SequenceEqual("VP8 "u8))
        {
            if (d[23] != 0x9D || d[24] != 0x01 || d[25] != 0x2A)
            {
                return Corrupt(ImageFormat.WebP, "the lossy WebP start code is missing");
            }

            return Dimensions(ImageFormat.WebP, BinaryPrimitives.ReadUInt16LittleEndian(d[26..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(d[28..]) & 0x3FFF);
        }

        return Corrupt(ImageFormat.WebP, "unknown WebP chunk");
    }

    private static HeaderResult Tiff(ReadOnlySpan<byte> d)
    {
        var little = d[0] == (byte)'I';
        uint U32(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
        ushort U16(ReadOnlySpan<byte> s) => little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);

        var ifd = U32(d[4..]);
        if (ifd < 8)
        {
            return Corrupt(ImageFormat.Tiff, "the TIFF's first directory offset is invalid");
        }

        if (ifd + 2 > d.Length)
        {
            return new HeaderResult(HeaderStatus.NeedMoreData, ImageFormat.Tiff);
        }

        var count = U16(d[(int)ifd..]);
        var end = ifd + 2 + (count * 12L);
        if (end > d.Length)
        {
            return new HeaderResult(HeaderStatus.NeedMoreData, ImageFormat.Tiff);
        }

        int width = 0, height = 0, bits = 8;
        for (var e = 0; e < count; e++)
        {
            var entry = d.Slice((int)ifd + 2 + (e * 12), 12);
            var tag = U16(entry);
            var type = U16(entry[2..]);
            var value = type == 3 ? U16(entry[8..]) : (int)Math.Min(U32(entry[8..]), int.MaxValue);
            if (tag == 256)
            {
                width = value;
            }
            else if (tag == 257)
            {
                height = value;
            }
            else if (tag == 258)
            {
                // BitsPerSample: one SHORT inline, or (one per sample) at an offset; the first sample says.
                var samples = U32(entry[4..]);
                var offset = U32(entry[8..]);
                bits = samples <= 2 ? value : offset + 2 <= d.Length ? U16(d[(int)offset..]) : bits;
            }
        }

        return Dimensions(ImageFormat.Tiff, width, height) with { BitsPerSample = bits };
    }

    private static int ReadUInt24(ReadOnlySpan<byte> s) => s[0] | (s[1] << 8) | (s[2] << 16);
}

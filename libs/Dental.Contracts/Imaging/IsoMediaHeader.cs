using System.Buffers.Binary;

namespace Dental.Contracts.Imaging;

/// <summary>
/// HEIF (HEIC) and AVIF: ISO base media files. The brands in the <c>ftyp</c> box say which; the pixel size is the largest
/// <c>ispe</c> property in <c>meta/iprp/ipco</c> (a grid image's own size is larger than its tiles', so the largest is the
/// one a decoder produces). Phones write <c>meta</c> before the image data, within the first kilobytes.
/// </summary>
internal static class IsoMediaHeader
{
    private static readonly string[] HeicBrands = ["heic", "heix", "heim", "heis", "hevc", "hevx"];
    private static readonly string[] AvifBrands = ["avif", "avis"];

    public static HeaderResult Read(ReadOnlySpan<byte> d)
    {
        var ftypSize = BinaryPrimitives.ReadUInt32BigEndian(d);
        if (ftypSize < 16 || ftypSize > 4096)
        {
            return new HeaderResult(HeaderStatus.Unsupported, Problem: "the file is an ISO media file this platform does not accept");
        }

        if (d.Length < ftypSize)
        {
            return new HeaderResult(HeaderStatus.NeedMoreData);
        }

        var brands = new List<string> { Brand(d[8..12]) };
        for (var i = 16; i + 4 <= ftypSize; i += 4)
        {
            brands.Add(Brand(d.Slice(i, 4)));
        }

        var format = brands.Intersect(AvifBrands).Any() ? ImageFormat.Avif
            : brands.Intersect(HeicBrands).Any() ? ImageFormat.Heic
            : null;
        if (format is null)
        {
            return new HeaderResult(HeaderStatus.Unsupported, Problem: "the file is an ISO media file (a video?) but not a HEIC or AVIF image");
        }

        return Dimensions(d, (int)ftypSize, format);
    }

    private static HeaderResult Dimensions(ReadOnlySpan<byte> d, int offset, ImageFormat format)
    {
        // Top level: find meta (a full box: 4 bytes of version and flags before its children).
        while (true)
        {
            if (offset + 8 > d.Length)
            {
                return new HeaderResult(HeaderStatus.NeedMoreData, format);
            }

            var (size, type, header) = Box(d, offset);
            if (size < header)
            {
                return ImageHeader.Corrupt(format, "a box has an impossible size");
            }

            if (type == "meta")
            {
                if (offset + size > d.Length)
                {
                    return new HeaderResult(HeaderStatus.NeedMoreData, format);
                }

                var (width, height) = LargestSpatialExtent(d.Slice(offset + header + 4, (int)size - header - 4));
                return width > 0 ? ImageHeader.Dimensions(format, width, height) : ImageHeader.Corrupt(format, "the image declares no pixel size (ispe)");
            }

            if (type == "mdat")
            {
                return ImageHeader.Corrupt(format, "the image data comes before the image's metadata");
            }

            offset += (int)Math.Min(size, int.MaxValue - offset);
        }
    }

    /// <summary>The largest ispe among meta's iprp/ipco properties.</summary>
    private static (int Width, int Height) LargestSpatialExtent(ReadOnlySpan<byte> meta)
    {
        (int Width, int Height) largest = (0, 0);
        foreach (var iprp in Children(meta, "iprp"))
        {
            foreach (var ipco in Children(meta.Slice(iprp.Start, iprp.Length), "ipco"))
            {
                var properties = meta.Slice(iprp.Start, iprp.Length).Slice(ipco.Start, ipco.Length);
                foreach (var ispe in Children(properties, "ispe"))
                {
                    if (ispe.Length >= 12)
                    {
                        var box = properties.Slice(ispe.Start, ispe.Length);
                        var (w, h) = (BinaryPrimitives.ReadUInt32BigEndian(box[4..]), BinaryPrimitives.ReadUInt32BigEndian(box[8..]));
                        if (w <= int.MaxValue && h <= int.MaxValue && (long)w * h > (long)largest.Width * largest.Height)
                        {
                            largest = ((int)w, (int)h);
                        }
                    }
                }
            }
        }

        return largest;
    }

    /// <summary>The contents (after the box header) of each child box of the given type.</summary>
    private static List<(int Start, int Length)> Children(ReadOnlySpan<byte> parent, string type)
    {
        var found = new List<(int, int)>();
        var offset = 0;
        while (offset + 8 <= parent.Length)
        {
            var (size, name, header) = Box(parent, offset);
            if (size < header || offset + size > parent.Length)
            {
                break;
            }

            if (name == type)
            {
                found.Add((offset + header, (int)size - header));
            }

            offset += (int)size;
        }

        return found;
    }

    /// <summary>A box's size (with a 64-bit size when the 32-bit one is 1), type and header length.</summary>
    private static (long Size, string Type, int Header) Box(ReadOnlySpan<byte> d, int offset)
    {
        var size = (long)BinaryPrimitives.ReadUInt32BigEndian(d[offset..]);
        var type = Brand(d.Slice(offset + 4, 4));
        if (size == 1 && offset + 16 <= d.Length)
        {
            return ((long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(d[(offset + 8)..]), long.MaxValue), type, 16);
        }

        return (size == 0 ? d.Length - offset : size, type, 8);
    }

    private static string Brand(ReadOnlySpan<byte> four) => System.Text.Encoding.ASCII.GetString(four);
}

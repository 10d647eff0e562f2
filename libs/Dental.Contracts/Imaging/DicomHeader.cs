using System.Buffers.Binary;
using System.Text;

namespace Dental.Contracts.Imaging;

/// <summary>
/// DICOM Part 10 files: a 128-byte preamble, <c>DICM</c>, the file meta group (always explicit VR little endian, naming
/// the data set's transfer syntax), then the data set. The pixel size (Rows, Columns), the sample size and the number of
/// frames are read from group 0028 without decoding anything; sequences before it are stepped over item by item.
/// No DICOM package exists in the NuGet registry here, and the Upload service must judge a file from its first bytes
/// while it streams, so this small reader is the platform's own; decoding is GDCM's (Thumbnailer).
/// </summary>
public static class DicomHeader
{
    /// <summary>Transfer syntaxes the Thumbnailer decodes (GDCM): little and big endian, JPEG baseline, extended and lossless, JPEG-LS, JPEG 2000, RLE.</summary>
    public static readonly IReadOnlySet<string> DecodableTransferSyntaxes = new HashSet<string>(StringComparer.Ordinal)
    {
        ImplicitLittleEndian, "1.2.840.10008.1.2.1", ExplicitBigEndian, "1.2.840.10008.1.2.5",
        "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
        "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
    };

    public const int PreambleLength = 132;

    private const string ImplicitLittleEndian = "1.2.840.10008.1.2";
    private const string ExplicitBigEndian = "1.2.840.10008.1.2.2";
    private const uint UndefinedLength = 0xFFFFFFFF;
    private const uint Item = 0xFFFEE000;
    private const uint ItemDelimiter = 0xFFFEE00D;
    private const uint SequenceDelimiter = 0xFFFEE0DD;

    public static bool IsDicom(ReadOnlySpan<byte> d) => d.Length >= PreambleLength && d[128..132].SequenceEqual("DICM"u8);

    public static HeaderResult Read(ReadOnlySpan<byte> d) => Open(d, out var data) is { } failure ? failure : ImageAttributes(ref data);

    /// <summary>
    /// Whether an element's declared length runs past the end of the whole file <paramref name="d"/>, up to and including
    /// uncompressed pixel data (decoders read such a file without complaint and fill the rest with zeros).
    /// </summary>
    public static bool IsTruncated(ReadOnlySpan<byte> d)
    {
        if (Open(d, out var data) is not null)
        {
            return false;
        }

        while (true)
        {
            var element = data.Next();
            if (element.Status is not null)
            {
                return element.Status.Value.Status == HeaderStatus.NeedMoreData && data.Position < d.Length;
            }

            if (!data.Skip(element))
            {
                return true;
            }

            if (element.Tag == 0x7FE00010)
            {
                return false;
            }
        }
    }

    /// <summary>Reads the file meta information; on success <paramref name="data"/> stands at the data set's first element.</summary>
    private static HeaderResult? Open(ReadOnlySpan<byte> d, out Reader data)
    {
        data = default;
        var meta = new Reader(d, PreambleLength, explicitVr: true, bigEndian: false);
        string? transferSyntax = null;
        // The meta group ends where group 0002 does; the data set after it may be in another encoding.
        while (meta.PeekGroup() is 0x0002 or -1)
        {
            var element = meta.Next();
            if (element.Status is not null)
            {
                return element.Status.Value;
            }

            if (element.Tag == 0x00020010)
            {
                transferSyntax = Encoding.ASCII.GetString(meta.Value(element)).TrimEnd('\0', ' ');
            }

            if (!meta.Skip(element))
            {
                return new HeaderResult(HeaderStatus.NeedMoreData, ImageFormat.Dicom);
            }
        }

        if (transferSyntax is null)
        {
            return ImageHeader.Corrupt(ImageFormat.Dicom, "the DICOM file meta information names no transfer syntax");
        }

        if (!DecodableTransferSyntaxes.Contains(transferSyntax))
        {
            return new HeaderResult(HeaderStatus.Unsupported, ImageFormat.Dicom,
                Problem: $"DICOM transfer syntax {transferSyntax} is not supported (uncompressed, JPEG, JPEG-LS, JPEG 2000 and RLE are)");
        }

        data = new Reader(d, meta.Position, explicitVr: transferSyntax != ImplicitLittleEndian, bigEndian: transferSyntax == ExplicitBigEndian);
        return null;
    }

    private static HeaderResult ImageAttributes(ref Reader data)
    {
        int rows = 0, columns = 0, bits = 0, frames = 1;
        while (true)
        {
            var element = data.Next();
            if (element.Status is { Status: HeaderStatus.NeedMoreData } && rows > 0 && columns > 0 && bits > 0)
            {
                break;
            }

            if (element.Status is not null)
            {
                return element.Status.Value;
            }

            // Group 0028 ends the search: data sets are in ascending tag order.
            if (element.Tag > 0x00280100 || element.Tag == 0x7FE00010)
            {
                break;
            }

            switch (element.Tag)
            {
                case 0x00280008:
                    var text = Encoding.ASCII.GetString(data.Value(element)).Trim('\0', ' ');
                    if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out frames) || frames < 1)
                    {
                        return ImageHeader.Corrupt(ImageFormat.Dicom, "Number of Frames is not a positive integer");
                    }

                    break;
                case 0x00280010:
                    rows = data.UInt16(element);
                    break;
                case 0x00280011:
                    columns = data.UInt16(element);
                    break;
                case 0x00280100:
                    bits = data.UInt16(element);
                    break;
            }

            if (!data.Skip(element))
            {
                return new HeaderResult(HeaderStatus.NeedMoreData, ImageFormat.Dicom);
            }
        }

        if (rows == 0 || columns == 0)
        {
            return ImageHeader.Corrupt(ImageFormat.Dicom, "the DICOM file has no image (Rows and Columns are missing)");
        }

        return bits is not (8 or 16)
            ? new HeaderResult(HeaderStatus.Unsupported, ImageFormat.Dicom, Problem: $"DICOM images with {bits} bits allocated per sample are not supported")
            : ImageHeader.Dimensions(ImageFormat.Dicom, columns, rows) with { BitsPerSample = bits, Frames = frames };
    }

    private readonly record struct Element(uint Tag, string? Vr, uint Length, int ValueOffset, HeaderResult? Status = null);

    private ref struct Reader(ReadOnlySpan<byte> d, int position, bool explicitVr, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> _d = d;

        public int Position { get; private set; } = position;

        /// <summary>The group of the next element (meta information is always little endian), -1 when the bytes end first.</summary>
        public readonly int PeekGroup() => Position + 2 > _d.Length ? -1 : BinaryPrimitives.ReadUInt16LittleEndian(_d[Position..]);

        public ReadOnlySpan<byte> Value(Element e) => _d.Slice(e.ValueOffset, (int)Math.Min(e.Length, (uint)(_d.Length - e.ValueOffset)));

        public int UInt16(Element e) => e.Length < 2 || e.ValueOffset + 2 > _d.Length ? 0
            : bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_d[e.ValueOffset..]) : BinaryPrimitives.ReadUInt16LittleEndian(_d[e.ValueOffset..]);

        /// <summary>Moves past the element; false when its end lies beyond the bytes at hand.</summary>
        public bool Skip(Element e)
        {
            if (e.Length != UndefinedLength)
            {
                if ((long)e.ValueOffset + e.Length > _d.Length)
                {
                    return false;
                }

                Position = e.ValueOffset + (int)e.Length;
                return true;
            }

            Position = e.ValueOffset;
            return SkipItems();
        }

        public Element Next()
        {
            var big = bigEndian;
            if (Position + 8 > _d.Length)
            {
                return new Element(0, null, 0, 0, new HeaderResult(HeaderStatus.NeedMoreData, ImageFormat.Dicom));
            }

            var s = _d[Position..];
            var group = big ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
            var number = big ? BinaryPrimitives.ReadUInt16BigEndian(s[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(s[2..]);
            var tag = ((uint)group << 16) | number;
            if (group == 0xFFFE || !explicitVr)
            {
                var length = big ? BinaryPrimitives.ReadUInt32BigEndian(s[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(s[4..]);
                return new Element(tag, null, length, Position + 8);
            }

            var vr = Encoding.ASCII.GetString(s.Slice(4, 2));
            if (!char.IsAsciiLetterUpper(vr[0]) || !char.IsAsciiLetterUpper(vr[1]))
            {
                return new Element(tag, vr, 0, 0, ImageHeader.Corrupt(ImageFormat.Dicom, "a DICOM element has no valid value representation"));
            }

            if (vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "SV" or "UC" or "UN" or "UR" or "UT" or "UV")
            {
                if (Position + 12 > _d.Length)
                {
                    return new Element(0, null, 0, 0, new HeaderResult(HeaderStatus.NeedMoreData, ImageFormat.Dicom));
                }

                var length = big ? BinaryPrimitives.ReadUInt32BigEndian(s[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(s[8..]);
                return new Element(tag, vr, length, Position + 12);
            }

            var shortLength = big ? BinaryPrimitives.ReadUInt16BigEndian(s[6..]) : BinaryPrimitives.ReadUInt16LittleEndian(s[6..]);
            return new Element(tag, vr, shortLength, Position + 8);
        }

        /// <summary>Steps over the items of a sequence (or the fragments of encapsulated pixel data) up to its delimiter.</summary>
        private bool SkipItems()
        {
            while (true)
            {
                var item = Next();
                if (item.Status is not null)
                {
                    return false;
                }

                if (item.Tag == SequenceDelimiter)
                {
                    Position = item.ValueOffset;
                    return true;
                }

                if (item.Tag != Item)
                {
                    return false;
                }

                if (item.Length != UndefinedLength)
                {
                    if (!Skip(item))
                    {
                        return false;
                    }

                    continue;
                }

                // An item of undefined length: its data set's elements, then the item delimiter.
                Position = item.ValueOffset;
                while (true)
                {
                    var inner = Next();
                    if (inner.Status is not null)
                    {
                        return false;
                    }

                    if (inner.Tag == ItemDelimiter)
                    {
                        Position = inner.ValueOffset;
                        break;
                    }

                    if (!Skip(inner))
                    {
                        return false;
                    }
                }
            }
        }
    }
}

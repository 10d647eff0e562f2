using System.Buffers.Binary;
using System.Text;
using Dental.Contracts.Imaging;

namespace Dental.UnitTests;

/// <summary>DICOM Part 10 headers built element by element, in each encoding the reader must walk.</summary>
public class DicomHeaderTests
{
    private const string Implicit = "1.2.840.10008.1.2";
    private const string Explicit = "1.2.840.10008.1.2.1";
    private const string BigEndian = "1.2.840.10008.1.2.2";

    private sealed class Writer(bool explicitVr, bool bigEndian)
    {
        private readonly List<byte> _bytes = [];

        public byte[] Bytes => [.. _bytes];

        public Writer Element(ushort group, ushort number, string vr, byte[] value, bool undefinedLength = false)
        {
            Tag(group, number);
            var longForm = vr is "OB" or "OW" or "SQ" or "UN" or "UT";
            if (explicitVr && group != 0xFFFE)
            {
                _bytes.AddRange(Encoding.ASCII.GetBytes(vr));
                if (!longForm)
                {
                    Write16((ushort)value.Length);
                    _bytes.AddRange(value);
                    return this;
                }

                _bytes.AddRange([0, 0]);
            }

            Write32(undefinedLength ? 0xFFFFFFFF : (uint)value.Length);
            _bytes.AddRange(value);
            return this;
        }

        public Writer Text(ushort group, ushort number, string vr, string text) =>
            Element(group, number, vr, Encoding.ASCII.GetBytes(text.Length % 2 == 1 ? text + " " : text));

        public Writer UInt16(ushort group, ushort number, ushort value) => Element(group, number, "US", Bytes16(value));

        /// <summary>A sequence of undefined length holding one item of undefined length with one text element.</summary>
        public Writer Sequence(ushort group, ushort number)
        {
            Element(group, number, "SQ", [], undefinedLength: true);
            Element(0xFFFE, 0xE000, "", [], undefinedLength: true);
            Text(0x0008, 0x0100, "SH", "T-12345");
            Element(0xFFFE, 0xE00D, "", []);
            return Element(0xFFFE, 0xE0DD, "", []);
        }

        private void Tag(ushort group, ushort number)
        {
            Write16(group);
            Write16(number);
        }

        private void Write16(ushort value) => _bytes.AddRange(Bytes16(value));

        private void Write32(uint value)
        {
            var bytes = new byte[4];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
            }

            _bytes.AddRange(bytes);
        }

        private byte[] Bytes16(ushort value)
        {
            var bytes = new byte[2];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
            }

            return bytes;
        }
    }

    private static byte[] File(string transferSyntax, Func<Writer, Writer> dataSet)
    {
        var meta = new Writer(explicitVr: true, bigEndian: false)
            .Element(0x0002, 0x0001, "OB", [0, 1])
            .Element(0x0002, 0x0010, "UI", Encoding.ASCII.GetBytes(transferSyntax.Length % 2 == 1 ? transferSyntax + "\0" : transferSyntax));
        var data = dataSet(new Writer(explicitVr: transferSyntax != Implicit, bigEndian: transferSyntax == BigEndian));
        return [.. new byte[128], .. "DICM"u8.ToArray(), .. meta.Bytes, .. data.Bytes];
    }

    private static Writer XRay(Writer w, ushort rows = 1800, ushort columns = 2400, ushort bits = 16) => w
        .Text(0x0008, 0x0060, "CS", "IO")
        .Text(0x0010, 0x0010, "PN", "Doe^Jane")
        .UInt16(0x0028, 0x0002, 1)
        .UInt16(0x0028, 0x0010, rows)
        .UInt16(0x0028, 0x0011, columns)
        .UInt16(0x0028, 0x0100, bits)
        .UInt16(0x0028, 0x0101, 12)
        .Element(0x7FE0, 0x0010, "OW", new byte[64]);

    [Theory]
    [InlineData(Implicit)]
    [InlineData(Explicit)]
    [InlineData(BigEndian)]
    public void Rows_columns_and_bits_are_read_in_every_encoding(string transferSyntax)
    {
        var header = ImageHeader.Read(File(transferSyntax, w => XRay(w)), complete: true);

        Assert.Equal((HeaderStatus.Ok, ImageFormat.Dicom, 2400, 1800, 16, 1), (header.Status, header.Format, header.Width, header.Height, header.BitsPerSample, header.Frames));
        Assert.True(header.DecodesInFull);
    }

    [Theory]
    [InlineData(Implicit)]
    [InlineData(Explicit)]
    public void Sequences_of_undefined_length_before_the_image_attributes_are_stepped_over(string transferSyntax)
    {
        var header = ImageHeader.Read(File(transferSyntax, w => XRay(w.Sequence(0x0008, 0x1140))), complete: true);

        Assert.Equal((HeaderStatus.Ok, 2400, 1800), (header.Status, header.Width, header.Height));
    }

    [Fact]
    public void Every_frame_counts_towards_the_pixel_limit()
    {
        var header = ImageHeader.Read(File(Explicit, w => XRay(w.Text(0x0028, 0x0008, "IS", "21"), rows: 1000, columns: 1000)), complete: true);

        Assert.Equal((21, 21_000_000L), (header.Frames, header.Pixels));
    }

    [Fact]
    public void A_transfer_syntax_nobody_decodes_is_unsupported_with_its_uid()
    {
        var header = ImageHeader.Read(File("1.2.840.10008.1.2.4.100", w => XRay(w)), complete: true);

        Assert.Equal(HeaderStatus.Unsupported, header.Status);
        Assert.Contains("1.2.840.10008.1.2.4.100", header.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Twelve_bits_allocated_is_unsupported_and_a_file_without_an_image_is_corrupt()
    {
        Assert.Equal(HeaderStatus.Unsupported, ImageHeader.Read(File(Explicit, w => XRay(w, bits: 12)), complete: true).Status);
        Assert.Equal(HeaderStatus.Corrupt, ImageHeader.Read(File(Explicit, w => w.Text(0x0008, 0x0060, "CS", "SR")), complete: true).Status);
    }

    [Fact]
    public void A_file_cut_in_its_header_needs_more_data_then_is_truncated()
    {
        var file = File(Explicit, w => XRay(w));
        var cut = file[..(file.Length - 100)];

        Assert.Equal(HeaderStatus.NeedMoreData, ImageHeader.Read(cut, complete: false).Status);
        Assert.Equal(HeaderStatus.Corrupt, ImageHeader.Read(cut, complete: true).Status);
    }

    [Fact]
    public void Truncated_pixel_data_is_found_in_the_whole_file()
    {
        var file = File(Explicit, w => XRay(w));

        Assert.False(DicomHeader.IsTruncated(file));
        Assert.True(DicomHeader.IsTruncated(file.AsSpan(0, file.Length - 10)));
    }

    [Fact]
    public void The_preamble_decides_only_at_byte_132()
    {
        var file = File(Explicit, w => XRay(w));

        Assert.Equal(HeaderStatus.NeedMoreData, ImageHeader.Read(file.AsSpan(0, 100), complete: false).Status);
        Assert.Equal(HeaderStatus.Unsupported, ImageHeader.Read(new byte[200], complete: true).Status);
    }
}

using System.Buffers.Binary;
using System.Text;
using Dental.Contracts.Imaging;

namespace Dental.UnitTests;

/// <summary>HEIC and AVIF headers built box by box: brands decide the format, the largest ispe the pixel size.</summary>
public class IsoMediaHeaderTests
{
    private static byte[] Box(string type, params byte[][] content)
    {
        var body = content.SelectMany(c => c).ToArray();
        var box = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        body.CopyTo(box, 8);
        return box;
    }

    private static byte[] Ftyp(string major, params string[] compatible) =>
        Box("ftyp", [.. Encoding.ASCII.GetBytes(major), 0, 0, 0, 0, .. compatible.SelectMany(Encoding.ASCII.GetBytes)]);

    private static byte[] Ispe(uint width, uint height)
    {
        var content = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(content.AsSpan(4), width);
        BinaryPrimitives.WriteUInt32BigEndian(content.AsSpan(8), height);
        return Box("ispe", content);
    }

    private static byte[] Meta(params byte[][] properties) => Box("meta", [0, 0, 0, 0], Box("hdlr", new byte[25]), Box("iprp", Box("ipco", properties)));

    [Theory]
    [InlineData("heic", new[] { "mif1", "heic" }, "heic")]
    [InlineData("mif1", new[] { "mif1", "heix" }, "heic")]
    [InlineData("avif", new[] { "mif1", "miaf" }, "avif")]
    [InlineData("mif1", new[] { "avif", "heic" }, "avif")]
    public void Brands_decide_the_format_and_the_largest_spatial_extent_the_pixel_size(string major, string[] compatible, string format)
    {
        // A grid image: 512×512 tiles of a 4032×3024 picture.
        byte[] file = [.. Ftyp(major, compatible), .. Meta(Ispe(512, 512), Ispe(4032, 3024)), .. Box("mdat", new byte[64])];

        var header = ImageHeader.Read(file, complete: true);

        Assert.Equal((HeaderStatus.Ok, format, 4032, 3024), (header.Status, header.Format!.Name, header.Width, header.Height));
        Assert.True(header.DecodesInFull);
    }

    [Fact]
    public void A_video_is_not_an_image()
    {
        byte[] mp4 = [.. Ftyp("isom", "iso2", "mp41"), .. Box("moov", new byte[32])];
        Assert.Equal(HeaderStatus.Unsupported, ImageHeader.Read(mp4, complete: true).Status);
    }

    [Fact]
    public void Image_data_before_its_metadata_or_no_size_at_all_is_corrupt()
    {
        Assert.Equal(HeaderStatus.Corrupt, ImageHeader.Read([.. Ftyp("heic", "mif1"), .. Box("mdat", new byte[64]), .. Meta(Ispe(10, 10))], complete: true).Status);
        Assert.Equal(HeaderStatus.Corrupt, ImageHeader.Read([.. Ftyp("avif", "mif1"), .. Meta()], complete: true).Status);
    }

    [Fact]
    public void A_header_cut_short_needs_more_data_and_is_truncated_once_the_file_is_complete()
    {
        byte[] file = [.. Ftyp("heic", "mif1"), .. Meta(Ispe(4032, 3024))];
        Assert.Equal(HeaderStatus.NeedMoreData, ImageHeader.Read(file.AsSpan(0, file.Length - 10), complete: false).Status);
        Assert.Equal(HeaderStatus.Corrupt, ImageHeader.Read(file.AsSpan(0, file.Length - 10), complete: true).Status);
    }
}

using NetVips;

namespace Dental.Thumbnailer.Rendering;

/// <summary>
/// The large preview's pixels, made by the render that makes an image ready and encoded later, as deferred work: plain
/// bytes, so one kept in memory needs no disposing however it leaves.
/// </summary>
public sealed record LargePixels(byte[] Data, int Width, int Height, int Bands, Enums.BandFormat Format, Enums.Interpretation Interpretation)
{
    public static LargePixels Of(Image image) =>
        new(image.WriteToMemory<byte>(), image.Width, image.Height, image.Bands, image.Format, image.Interpretation);

    public Image ToImage()
    {
        using var raw = Image.NewFromMemory(Data, Width, Height, Bands, Format);
        return raw.Copy(interpretation: Interpretation);
    }
}

using NetVips;

namespace Dental.IntegrationTests.Thumbnailer;

/// <summary>Reads rendered previews back with real libvips: dimensions, mean brightness, pixels.</summary>
internal static class VipsProbe
{
    public sealed record Facts(int Width, int Height, int Bands, double Mean, double[] TopLeft);

    public static Facts Inspect(byte[] jpeg)
    {
        using var image = Image.NewFromBuffer(jpeg);
        return new Facts(image.Width, image.Height, image.Bands, image.Avg(), image.Getpoint(2, 2));
    }

    public static double[] Pixel(byte[] jpeg, int x, int y)
    {
        using var image = Image.NewFromBuffer(jpeg);
        return image.Getpoint(x, y);
    }
}

using System.Diagnostics;

namespace Dental.Testing;

/// <summary>Real HEIC (HEVC) and AVIF (AV1) files made by the tests with libheif's own encoder (heif-enc, libheif-examples).</summary>
public static class HeifFixtures
{
    public static byte[] Heic(byte[] png) => Encode(png, "heic");

    public static byte[] Avif(byte[] png) => Encode(png, "avif");

    private static byte[] Encode(byte[] png, string format)
    {
        var folder = Directory.CreateTempSubdirectory("dental-heif-fixture-");
        try
        {
            var input = Path.Combine(folder.FullName, "in.png");
            var output = Path.Combine(folder.FullName, $"out.{format}");
            File.WriteAllBytes(input, png);
            string[] arguments = format == "avif" ? ["-A", input, "-o", output] : [input, "-o", output];
            using var process = Process.Start(new ProcessStartInfo("heif-enc", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? File.ReadAllBytes(output) : throw new InvalidOperationException($"heif-enc failed ({process.ExitCode}): {error}");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}

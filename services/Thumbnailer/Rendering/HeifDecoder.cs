using System.Diagnostics;
using Dental.Contracts.Events;
using Microsoft.Extensions.Options;

namespace Dental.Thumbnailer.Rendering;

/// <summary>
/// HEIC decoded by libheif's own command-line decoder, out of process: the libvips build the service ships has no HEVC
/// decoder, and a decoder crash or hang on a hostile file costs one child process, not the service. The decoder writes a
/// JPEG at quality 92 (a 12 MP photo in 1.3 s, where a PNG took 5.7 s to compress and more to read back), which then takes
/// the same path as any other original, shrink-on-load included; the decoder applies the orientation and resets the tag.
/// </summary>
public sealed class HeifDecoder(IOptions<ThumbnailerOptions> options)
{
    private const string IntermediateQuality = "92";

    public byte[] ToJpeg(byte[] heic)
    {
        var folder = Directory.CreateTempSubdirectory("dental-heif-");
        try
        {
            var input = Path.Combine(folder.FullName, "original.heic");
            var output = Path.Combine(folder.FullName, "decoded.jpg");
            File.WriteAllBytes(input, heic);
            var (exitCode, error) = Run(input, output);
            if (exitCode != 0 || !File.Exists(output))
            {
                throw new ImageRejectedException(RejectionReason.Corrupt, $"the HEIC decoder refused the file: {error}");
            }

            return File.ReadAllBytes(output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static readonly string[] KnownNames = ["heif-dec", "heif-convert"];

    private readonly Lazy<string> _command = new(() => options.Value.HeifDecoder is { Length: > 0 } configured ? configured
        : KnownNames.FirstOrDefault(OnPath) ?? KnownNames[^1]);

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(folder => File.Exists(Path.Combine(folder, name)));

    private (int ExitCode, string Error) Run(string input, string output)
    {
        var settings = options.Value;
        var start = new ProcessStartInfo(_command.Value, ["-q", IntermediateQuality, input, output]) { RedirectStandardError = true, RedirectStandardOutput = true };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{_command.Value} did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            // Missing on this machine: a fault of the installation, retried, not the image's.
            throw new InvalidOperationException($"The HEIC decoder '{_command.Value}' is not installed (libheif-examples): {ex.Message}", ex);
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(settings.HeifDecodeTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new ImageRejectedException(RejectionReason.Corrupt, $"decoding the HEIC took longer than {settings.HeifDecodeTimeout.TotalSeconds:0} s");
            }

            var text = error.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no detail";
            return (process.ExitCode, text);
        }
    }
}

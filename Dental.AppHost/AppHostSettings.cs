using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Dental.AppHost;

/// <summary>
/// What a developer may change about the local stack, from the command line (<c>--Dental:GatewayPort=6100</c>),
/// environment variables (<c>Dental__GatewayPort=6100</c>) or tests. Everything else is allocated per run.
/// </summary>
public sealed class AppHostSettings
{
    public const string Section = "Dental";

    /// <summary>The gateway's fixed local port, so the README's curl examples work; 0 picks a free one (tests).</summary>
    public int GatewayPort { get; init; } = 5100;

    /// <summary>Everything the emulators keep between runs (and the development signing key).</summary>
    public string DataDirectory { get; init; } = ".data";

    /// <summary>Delete the data folder before starting.</summary>
    public bool Reset { get; init; }

    public string RepositoryRoot { get; private init; } = "";

    public string DataPath => Path.GetFullPath(Path.Combine(RepositoryRoot, DataDirectory));

    public string Emulators => Path.Combine(RepositoryRoot, "emulators");

    public static AppHostSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<AppHostSettings>() ?? new AppHostSettings();
        return new AppHostSettings
        {
            GatewayPort = settings.GatewayPort,
            DataDirectory = settings.DataDirectory,
            Reset = settings.Reset,
            RepositoryRoot = FindRepositoryRoot(),
        };
    }

    public void PrepareDataDirectory()
    {
        if (Reset && Directory.Exists(DataPath))
        {
            Directory.Delete(DataPath, recursive: true);
            Console.WriteLine($"Reset: deleted {DataPath}");
        }

        Directory.CreateDirectory(DataPath);
    }

    /// <summary>A random key per data folder, so locally minted tokens stay valid across restarts but not across machines.</summary>
    public string DevelopmentSigningKey => _developmentSigningKey ??= ReadOrCreateSigningKey();

    private string? _developmentSigningKey;

    private string ReadOrCreateSigningKey()
    {
        var file = Path.Combine(DataPath, "dev-signing-key");
        if (!File.Exists(file))
        {
            File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        }

        return File.ReadAllText(file).Trim();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dental.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the app host from inside the repository (Dental.slnx not found).");
    }
}

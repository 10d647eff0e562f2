using System.Diagnostics;

namespace Dental.Testing;

/// <summary>Installs the emulators' pinned npm packages when a test run finds them missing.</summary>
internal static class NpmPackages
{
    public static async Task EnsureInstalledAsync()
    {
        var marker = Path.Combine(RepositoryPaths.Emulators, "node_modules", ".package-lock.json");
        if (File.Exists(marker))
        {
            return;
        }

        // Test assemblies run in parallel processes; one installs while the others wait on the lock.
        await using var gate = await AcquireLockAsync(Path.Combine(RepositoryPaths.Emulators, ".npm-install.lock"));
        if (File.Exists(marker))
        {
            return;
        }

        var info = new ProcessStartInfo("npm") { WorkingDirectory = RepositoryPaths.Emulators, RedirectStandardOutput = true };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--omit=optional" })
        {
            info.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(info) ?? throw new InvalidOperationException("npm could not be started; is Node.js 20 installed?");
        await npm.StandardOutput.ReadToEndAsync();
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {RepositoryPaths.Emulators} failed with exit code {npm.ExitCode}.");
        }
    }

    private static async Task<FileStream> AcquireLockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(500);
            }
        }
    }
}

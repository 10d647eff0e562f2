using System.Diagnostics;

namespace Dental.AppHost;

/// <summary>One-time set-up the run needs: the emulators' npm packages.</summary>
internal static class Setup
{
    public static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dental.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the AppHost from inside the repository (Dental.slnx not found).");
    }

    /// <summary>Installs the pinned emulator packages when missing or older than the lockfile.</summary>
    public static async Task EnsureEmulatorPackagesAsync(string emulatorsDirectory, bool withDashboard)
    {
        var installed = Path.Combine(emulatorsDirectory, "node_modules", ".package-lock.json");
        var lockFile = Path.Combine(emulatorsDirectory, "package-lock.json");
        var dashboard = Path.Combine(emulatorsDirectory, DashboardBinary);
        var upToDate = File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(lockFile);
        if (upToDate && (!withDashboard || File.Exists(dashboard)))
        {
            return;
        }

        Console.WriteLine("Installing emulator packages (npm ci)...");
        var info = new ProcessStartInfo("npm") { WorkingDirectory = emulatorsDirectory };
        foreach (var argument in withDashboard ? ["ci", "--no-audit", "--no-fund"] : new[] { "ci", "--no-audit", "--no-fund", "--omit=optional" })
        {
            info.ArgumentList.Add(argument);
        }

        using var npm = Process.Start(info) ?? throw new InvalidOperationException("npm could not be started; is Node.js 20 installed?");
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci failed with exit code {npm.ExitCode}.");
        }
    }

    public const string DashboardBinary = "node_modules/@microsoft/aspire-cli-linux-x64/bin/aspire";
}

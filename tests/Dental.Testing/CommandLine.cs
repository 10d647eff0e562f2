using System.Diagnostics;

namespace Dental.Testing;

/// <summary>Runs a command-line tool to its end and returns its exit code with what it printed (standard output, then standard error).</summary>
public static class CommandLine
{
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string command, IEnumerable<string> arguments, string workingDirectory, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(command) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{command} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {timeout ?? TimeSpan.FromMinutes(3)}.");
        }

        return (process.ExitCode, await output, await error);
    }
}

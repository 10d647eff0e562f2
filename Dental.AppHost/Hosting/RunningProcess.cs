using System.Diagnostics;

namespace Dental.AppHost.Hosting;

/// <summary>A started resource: its process, with every output line forwarded under the resource's name.</summary>
internal sealed class RunningProcess : IAsyncDisposable
{
    private static readonly object ConsoleLock = new();
    private readonly Process _process;

    private RunningProcess(Process process) => _process = process;

    public Task Exited => _process.WaitForExitAsync();

    public int ExitCode => _process.ExitCode;

    public static RunningProcess Start(Resource resource, string prefix, ConsoleColor color)
    {
        var info = new ProcessStartInfo(resource.Command)
        {
            WorkingDirectory = resource.WorkingDirectory ?? Environment.CurrentDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in resource.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in resource.Environment)
        {
            info.Environment[key] = value();
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Forward(prefix, color, e.Data);
        process.ErrorDataReceived += (_, e) => Forward(prefix, color, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunningProcess(process);
    }

    public static void Write(string prefix, ConsoleColor color, string line) => Forward(prefix, color, line);

    private static void Forward(string prefix, ConsoleColor color, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (ConsoleLock)
        {
            Console.ForegroundColor = color;
            Console.Write(prefix);
            Console.ResetColor();
            Console.WriteLine(line);
        }
    }

    /// <summary>SIGTERM, then the whole process tree is killed if it has not exited within the grace period.</summary>
    public async ValueTask StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        ProcessSignals.Terminate(_process.Id);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}

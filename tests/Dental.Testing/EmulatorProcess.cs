using System.Diagnostics;
using System.Text;

namespace Dental.Testing;

/// <summary>An emulator started for the test run; its output is kept for the failure message.</summary>
public sealed class EmulatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public EmulatorProcess(string name, string command, IEnumerable<string> arguments, string workingDirectory)
    {
        Name = name;
        var info = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException($"{name} could not be started.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task WaitUntilAsync(Func<Task<bool>> ready, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await ready())
        {
            if (_process.HasExited || clock.Elapsed > timeout)
            {
                throw new InvalidOperationException($"{Name} did not become ready in {timeout.TotalSeconds:F0} s. Output:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

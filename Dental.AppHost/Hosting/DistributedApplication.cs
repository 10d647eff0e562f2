using System.Diagnostics;

namespace Dental.AppHost.Hosting;

/// <summary>
/// Starts resources in dependency order (each once everything it waits for is ready), forwards their
/// logs, and stops all of them, newest first, when cancelled or when any of them dies.
/// </summary>
public sealed class DistributedApplication
{
    private static readonly ConsoleColor[] Colors =
        [ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Yellow, ConsoleColor.Magenta, ConsoleColor.Blue, ConsoleColor.DarkCyan, ConsoleColor.DarkYellow, ConsoleColor.DarkGreen];

    private readonly List<Resource> _resources = [];

    public TimeSpan ReadinessTimeout { get; init; } = TimeSpan.FromMinutes(3);

    public ResourceBuilder AddResource(string name, string command, string? workingDirectory = null)
    {
        var resource = new Resource(name, command) { WorkingDirectory = workingDirectory };
        _resources.Add(resource);
        return new ResourceBuilder(resource);
    }

    /// <summary>Runs until cancelled; returns a non-zero exit code when a resource failed.</summary>
    public async Task<int> RunAsync(Action<IReadOnlyList<Resource>> onAllReady, CancellationToken cancellationToken)
    {
        var width = _resources.Max(r => r.Name.Length) + 3;
        var ready = _resources.ToDictionary(r => r, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        var started = new List<RunningProcess>();
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var exitCode = 0;

        async Task StartAsync(Resource resource, int index)
        {
            await Task.WhenAll(resource.WaitsFor.Select(d => ready[d].Task)).WaitAsync(failure.Token);
            var color = Colors[index % Colors.Length];
            var prefix = $"[{resource.Name}]".PadRight(width);
            var process = RunningProcess.Start(resource, prefix, color);
            lock (started)
            {
                started.Add(process);
            }

            _ = process.Exited.ContinueWith(
                _ =>
                {
                    if (!failure.IsCancellationRequested)
                    {
                        RunningProcess.Write(prefix, color, $"exited unexpectedly with code {process.ExitCode}; stopping everything");
                        exitCode = 1;
                        failure.Cancel();
                    }
                },
                TaskScheduler.Default);

            await WaitUntilReadyAsync(resource, failure.Token);
            RunningProcess.Write(prefix, color, $"ready after {clock.Elapsed.TotalSeconds:F1} s");
            ready[resource].SetResult();
        }

        try
        {
            await Task.WhenAll(_resources.Select(StartAsync));
            onAllReady(_resources);
            await Task.Delay(Timeout.Infinite, failure.Token);
        }
        catch (OperationCanceledException) when (failure.IsCancellationRequested)
        {
        }
        catch (TimeoutException ex)
        {
            Console.Error.WriteLine(ex.Message);
            exitCode = 1;
        }
        finally
        {
            await failure.CancelAsync();
            Console.WriteLine("Stopping...");
            List<RunningProcess> toStop;
            lock (started)
            {
                toStop = Enumerable.Reverse(started).ToList();
            }

            foreach (var process in toStop)
            {
                await process.DisposeAsync();
            }

            Console.WriteLine("All resources stopped.");
        }

        return exitCode;
    }

    private async Task WaitUntilReadyAsync(Resource resource, CancellationToken cancellationToken)
    {
        if (resource.ReadinessProbe is null)
        {
            return;
        }

        var deadline = Stopwatch.StartNew();
        while (!await resource.ReadinessProbe(cancellationToken))
        {
            if (deadline.Elapsed > ReadinessTimeout)
            {
                throw new TimeoutException($"{resource.Name} was not ready within {ReadinessTimeout.TotalSeconds:F0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }
}

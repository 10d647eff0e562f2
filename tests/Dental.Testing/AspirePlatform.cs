using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dental.Testing;

/// <summary>
/// The whole platform started through its Aspire app host (the one description of the local topology):
/// Azurite, the Cosmos emulator, the web client's build and the four services, on free ports, with data in a
/// folder of its own. Tests and the load generator use it; resources are stopped, started and killed through
/// Aspire's resource commands and the resource's process id.
/// </summary>
public sealed class AspirePlatform : IAsyncDisposable
{
    public static readonly string[] Services = ["upload", "thumbnailer", "catalog", "gateway"];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private readonly ConcurrentDictionary<string, StringBuilder> _logs = new();
    private readonly CancellationTokenSource _stopWatching = new();
    private readonly DistributedApplication _app;
    private readonly string _data;

    private AspirePlatform(DistributedApplication app, string data)
    {
        _app = app;
        _data = data;
    }

    public TestScope Scope { get; private set; } = null!;

    public Uri GatewayAddress => _app.GetEndpoint("gateway", "http");

    /// <summary>Starts the app host's model with the given service settings on top (":" or "__" keys) in the given environment.</summary>
    public static async Task<AspirePlatform> StartAsync(IReadOnlyDictionary<string, string?>? overrides = null, string environment = "Development")
    {
        var data = Path.Combine(Path.GetTempPath(), $"dental-platform-{Guid.NewGuid():N}");
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Dental_AppHost>(
            ["--Dental:GatewayPort=0", $"--Dental:DataDirectory={data}"]);
        builder.Services.AddLogging(logging => logging
            // Each resource's console is kept apart (Logs) and shown when a start fails; health checks fail
            // until a resource is up, which is waited for, not an error.
            .AddFilter("Dental.AppHost.Resources", LogLevel.None)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Aspire.Hosting", LogLevel.Warning));
        var settings = new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = TestScope.SigningKey,
            ["Gateway:RequestsPerWindow"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            // Ids only at Information: enough to follow one upload's trace id through every service.
            ["Logging:LogLevel:Dental"] = "Information",
            ["Logging:LogLevel:Yarp.ReverseProxy.Forwarder"] = "Information",
        };
        if (environment != builder.Environment.EnvironmentName)
        {
            settings["ASPNETCORE_ENVIRONMENT"] = environment;
            // Outside Development only the authority's keys count; a signing key there stops the start.
            settings["Auth:SigningKey"] = "";
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        foreach (var service in builder.Resources.OfType<ProjectResource>().ToList())
        {
            builder.CreateResourceBuilder(service).WithEnvironment(context =>
            {
                foreach (var (key, value) in settings)
                {
                    context.EnvironmentVariables[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
                }
            });
        }

        var platform = new AspirePlatform(await builder.BuildAsync(), data);
        await platform.StartAsync();
        return platform;
    }

    /// <summary>A client of the gateway with a token for the role, subject and clinic (the app host registers clinic-a and clinic-b).</summary>
    public HttpClient Client(string role = "clinician", string subject = "dr-who", string clinic = TestTokens.Clinic)
    {
        var client = new HttpClient { BaseAddress = GatewayAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role, subject, clinic));
        return client;
    }

    /// <summary>What a resource wrote to its console so far.</summary>
    public string Logs(string resource)
    {
        var log = _logs.GetOrAdd(resource, _ => new StringBuilder());
        lock (log)
        {
            return log.ToString();
        }
    }

    /// <summary>SIGKILL of the resource's process: it dies mid-work, as in a crash. Aspire does not restart it.</summary>
    public async Task KillAsync(string resource)
    {
        using var process = Process.GetProcessById(await ProcessIdAsync(resource));
        process.Kill(entireProcessTree: true);
        await WaitForStateAsync(resource, KnownResourceStates.Exited, KnownResourceStates.Finished, KnownResourceStates.FailedToStart);
    }

    /// <summary>Aspire's stop command: the process is asked to stop (SIGTERM) and waited for.</summary>
    public async Task StopAsync(string resource)
    {
        await ExecuteAsync(resource, KnownResourceCommands.StopCommand);
        await WaitForStateAsync(resource, KnownResourceStates.Exited, KnownResourceStates.Finished);
    }

    /// <summary>Aspire's start command, then waits until the resource reports healthy.</summary>
    public async Task StartAsync(string resource)
    {
        await ExecuteAsync(resource, KnownResourceCommands.StartCommand);
        using var timeout = new CancellationTokenSource(StartTimeout);
        // Running first: until the new process runs, the health wait would see the old one's end and give up.
        await Notifications.WaitForResourceAsync(resource, KnownResourceStates.Running, timeout.Token);
        await Notifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    /// <summary>The peak resident memory so far (VmHWM) of the process running the resource's code, in bytes.</summary>
    public async Task<long> PeakResidentBytesAsync(string resource) => ProcessTree.PeakResidentBytes(ProcessTree.MainOf(await ProcessIdAsync(resource)));

    /// <summary>CPU time the resource's process and every process under it (a project runs under `dotnet run`) used so far.</summary>
    public async Task<TimeSpan> CpuTimeAsync(string resource)
    {
        var total = TimeSpan.Zero;
        foreach (var pid in ProcessTree.Of(await ProcessIdAsync(resource)))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                total += process.TotalProcessorTime;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Ended meanwhile.
            }
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopWatching.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopWatching.Dispose();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private ResourceNotificationService Notifications => _app.Services.GetRequiredService<ResourceNotificationService>();

    private async Task StartAsync()
    {
        _ = WatchResourcesAsync();

        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await _app.StartAsync(timeout.Token);
            await Task.WhenAll(Services.Select(s => Notifications.WaitForResourceHealthyAsync(s, timeout.Token)));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("The platform did not become healthy in time. " +
                string.Join("\n", Services.Select(s => $"--- {s}:\n{Logs(s)}")));
        }

        var blob = _app.GetEndpoint("azurite", "blob").Port;
        var queue = _app.GetEndpoint("azurite", "queue").Port;
        var cosmos = _app.GetEndpoint("cosmos", "https").Port;
        Scope = new TestScope(TestEmulators.StorageConnectionStringFor(blob, queue), TestEmulators.CosmosConnectionStringFor(cosmos), isolated: false);
    }

    /// <summary>Keeps every resource's console, following each process the resource gets (a restart is a new one).</summary>
    private async Task WatchResourcesAsync()
    {
        var logs = _app.Services.GetRequiredService<ResourceLoggerService>();
        var watched = new HashSet<string>();
        try
        {
            await foreach (var change in Notifications.WatchAsync(_stopWatching.Token))
            {
                if (watched.Add(change.ResourceId))
                {
                    _ = WatchLogsAsync(logs, change.ResourceId, change.Resource.Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WatchLogsAsync(ResourceLoggerService logs, string resourceId, string resource)
    {
        var log = _logs.GetOrAdd(resource, _ => new StringBuilder());
        try
        {
            await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(_stopWatching.Token))
            {
                lock (log)
                {
                    foreach (var line in batch)
                    {
                        log.AppendLine(line.Content);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<int> ProcessIdAsync(string resource)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var running = await Notifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == KnownResourceStates.Running && Pid(e) is not null, timeout.Token);
        return Convert.ToInt32(Pid(running), CultureInfo.InvariantCulture);

        static object? Pid(ResourceEvent e) => e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value;
    }

    private async Task ExecuteAsync(string resource, string command)
    {
        var model = _app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource);
        var result = await _app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(model, command);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} of {resource} failed: {result.Message}");
        }
    }

    private async Task WaitForStateAsync(string resource, params string[] states)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await Notifications.WaitForResourceAsync(resource, states, timeout.Token);
    }
}

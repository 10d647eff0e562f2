using System.Net.Http.Headers;

namespace Dental.Testing;

/// <summary>
/// All four services as real processes (their built output) against the test emulators, wired as the
/// AppHost wires them: for end-to-end and fault tests and the load generator.
/// </summary>
public sealed class RunningPlatform : IAsyncDisposable
{
    public static readonly string[] Services = ["Upload", "Thumbnailer", "Catalog", "Gateway"];

    private readonly Dictionary<string, TestProcess> _processes = [];
    private readonly Dictionary<string, int> _ports = Services.ToDictionary(s => s, _ => FreePort.Next());
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    private RunningPlatform(TestScope scope, IReadOnlyDictionary<string, string?>? overrides, string environment)
    {
        Scope = scope;
        _environment = environment;
        _settings = scope.ServiceSettings();
        _settings["ReverseProxy:Clusters:upload:Destinations:primary:Address"] = $"http://127.0.0.1:{_ports["Upload"]}";
        _settings["ReverseProxy:Clusters:catalog:Destinations:primary:Address"] = $"http://127.0.0.1:{_ports["Catalog"]}";
        _settings["Gateway:RequestsPerWindow"] = "100000";
        _settings["WebClient:Path"] = Path.Combine(RepositoryPaths.Web, "dist");
        // Ids only at Information: enough to follow one upload's trace id through every service.
        _settings["Logging:LogLevel:Dental"] = "Information";
        _settings["Logging:LogLevel:Yarp.ReverseProxy.Forwarder"] = "Information";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public TestScope Scope { get; }

    public Uri GatewayAddress => new($"http://127.0.0.1:{_ports["Gateway"]}");

    public IReadOnlyDictionary<string, TestProcess> Processes => _processes;

    public static async Task<RunningPlatform> StartAsync(TestScope scope, IReadOnlyDictionary<string, string?>? overrides = null, string environment = "Development")
    {
        var platform = new RunningPlatform(scope, overrides, environment);
        await Task.WhenAll(Services.Where(s => s != "Gateway").Select(platform.StartAsync));
        await platform.StartAsync("Gateway");
        return platform;
    }

    public async Task StartAsync(string service)
    {
        var process = await ServiceProcess.StartAsync(service, _ports[service], _settings, _environment);
        lock (_processes)
        {
            _processes[service] = process;
        }
    }

    /// <summary>SIGKILL: the service dies mid-work, as in a crash.</summary>
    public void Kill(string service)
    {
        _processes[service].Kill();
        _processes[service].Dispose();
    }

    public HttpClient Client(string role = "clinician", string subject = "dr-who")
    {
        var client = new HttpClient { BaseAddress = GatewayAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role, subject));
        return client;
    }

    public ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values)
        {
            process.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}

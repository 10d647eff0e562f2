using Dental.Testing;

namespace Dental.Bench;

/// <summary>
/// What a gateway measurement stands on: echo backends (in this process), a local OpenID Connect provider issuing RS256
/// tokens (the development key is refused outside Development) and the gateway's settings for them.
/// </summary>
internal sealed class GatewayStage : IAsyncDisposable
{
    public const string Path = "/api/v1/patients/p-1/images";

    /// <summary>The concurrencies a gateway is measured at, with requests enough for a couple of seconds each.</summary>
    public static readonly (int Concurrency, int Requests)[] Loads = [(1, 5_000), (16, 20_000), (64, 20_000)];

    private readonly EchoBackend _upload = new("upload");
    private readonly FakeOidcProvider _provider = new("bench", "api://dental", "bench-user", "clinician");
    private Dictionary<string, string?> _settings = [];

    public EchoBackend Catalog { get; } = new("catalog");

    public string Token => _provider.AccessToken();

    public static async Task<GatewayStage> StartAsync()
    {
        var stage = new GatewayStage();
        await stage._upload.StartAsync();
        await stage.Catalog.StartAsync();
        await stage._provider.StartAsync();
        stage._settings = new Dictionary<string, string?>((await TestScope.CreateAsync()).GatewaySettings(stage._upload.Address, stage.Catalog.Address))
        {
            ["Auth:Authority"] = stage._provider.Authority,
            ["Gateway:RequestsPerWindow"] = "1000000",
        };
        return stage;
    }

    /// <summary>A gateway process in Production, with <paramref name="extra"/> settings (configuration keys or environment variables) on top.</summary>
    public async Task<(TestProcess Process, string Url)> StartGatewayAsync(IReadOnlyDictionary<string, string?>? extra = null, string? directory = null)
    {
        var settings = new Dictionary<string, string?>(_settings);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var port = FreePort.Next();
        var process = await ServiceProcess.StartAsync("Gateway", port, settings, environment: "Production", directory: directory);
        return (process, $"http://127.0.0.1:{port}{Path}");
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Catalog.DisposeAsync();
        await _upload.DisposeAsync();
    }
}

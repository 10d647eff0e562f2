using System.Net.Http.Headers;
using Dental.Gateway;
using Dental.Testing;

namespace Dental.IntegrationTests.Gateway;

/// <summary>The gateway in-process, proxying over real HTTP to two echo backends (upload and catalog).</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public EchoBackend Upload { get; } = new("upload");

    public EchoBackend Catalog { get; } = new("catalog");

    public ServiceFactory<GatewayOptions> Factory { get; private set; } = null!;

    public TestScope Scope { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Scope = await TestScope.CreateAsync();
        await Upload.StartAsync();
        await Catalog.StartAsync();
        Factory = Create();
    }

    public ServiceFactory<GatewayOptions> Create(string environment = "Development", IDictionary<string, string?>? overrides = null, Action<Microsoft.AspNetCore.Hosting.IWebHostBuilder>? configure = null)
    {
        var settings = Settings(Scope, Upload.Address, Catalog.Address);
        if (environment != "Development")
        {
            // Outside Development only the authority's keys count; a signing key there stops the start.
            settings.Remove("Auth:SigningKey");
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new ServiceFactory<GatewayOptions>(settings, environment, configure);
    }

    public static Dictionary<string, string?> Settings(TestScope scope, string upload, string catalog) => new(scope.GatewaySettings(upload, catalog))
    {
        ["Auth:SigningKey"] = TestScope.SigningKey,
        ["Gateway:CorsOrigins:0"] = "https://clinic.example",
    };

    public HttpClient Client(string? token)
    {
        var client = Factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Upload.DisposeAsync();
        await Catalog.DisposeAsync();
    }
}

using Dental.Testing;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>The platform outside Development, trusting an OpenID Connect provider (a local stand-in for Entra ID).</summary>
public sealed class OidcPlatformFixture : IAsyncLifetime
{
    public const string ClientId = "dental-web";
    public const string User = "dr-oidc@clinic.example";

    public FakeOidcProvider Provider { get; } = new(ClientId, "api://dental", User, "clinician");

    public AspirePlatform Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Provider.StartAsync();
        Platform = await AspirePlatform.StartAsync(
            new Dictionary<string, string?> { ["Auth:Authority"] = Provider.Authority, ["WebClient:ClientId"] = ClientId },
            environment: "Production");
    }

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

public class WebClientSignInTests(OidcPlatformFixture fixture) : IClassFixture<OidcPlatformFixture>
{
    [Fact]
    public async Task Outside_development_a_clinician_signs_in_with_openid_connect_and_the_services_accept_the_token()
    {
        await BrowserTests.RunAsync("web-client-oidc.test.mjs", fixture.Platform.GatewayAddress, new Dictionary<string, string?>
        {
            ["DENTAL_OIDC_AUTHORITY"] = fixture.Provider.Authority,
            ["DENTAL_OIDC_USER"] = OidcPlatformFixture.User,
        });

        Assert.Equal(1, fixture.Provider.TokensIssued);
    }
}

using System.Net;
using System.Text.Json;
using Dental.Testing;

namespace Dental.IntegrationTests.Gateway;

/// <summary>The gateway serves a built web client at / without a token, and nothing else loosens.</summary>
public sealed class WebClientHostingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>, IDisposable
{
    private readonly string _site = CreateSite();

    private static string CreateSite()
    {
        var site = Directory.CreateTempSubdirectory("web-client-").FullName;
        Directory.CreateDirectory(Path.Combine(site, "assets"));
        File.WriteAllText(Path.Combine(site, "index.html"), "<!doctype html><title>Dental images</title><script type=module src=/assets/app-1a2b.js></script>");
        File.WriteAllText(Path.Combine(site, "assets", "app-1a2b.js"), "console.log('app');");
        // A file under api/ in the site folder must never answer an API path.
        Directory.CreateDirectory(Path.Combine(site, "api"));
        File.WriteAllText(Path.Combine(site, "api", "leaked.txt"), "not an API answer");
        return site;
    }

    private ServiceFactory<Dental.Gateway.GatewayOptions> Gateway(string environment = "Development", string? clientId = null, string? authority = null) =>
        fixture.Create(environment, new Dictionary<string, string?>
        {
            ["WebClient:Path"] = _site,
            ["WebClient:ClientId"] = clientId,
            ["Auth:Authority"] = authority,
        });

    [Fact]
    public async Task The_page_and_its_assets_load_without_a_token_under_a_policy_that_allows_only_the_gateway()
    {
        await using var gateway = Gateway();
        using var client = gateway.CreateClient();

        using var page = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Dental images", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("img-src 'self' blob:", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());

        using var script = await client.GetAsync(new Uri("/assets/app-1a2b.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True(script.Headers.CacheControl?.Public == true && script.Headers.CacheControl.MaxAge == TimeSpan.FromDays(365), script.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("/api/v1/patients/p-1/images")]
    [InlineData("/api/v1/not-a-route")]
    [InlineData("/api/leaked.txt")]
    [InlineData("/assets/missing.js")]
    public async Task Everything_else_still_needs_a_token_and_keeps_the_strict_policy(string path)
    {
        await using var gateway = Gateway();
        using var response = await gateway.CreateClient().GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task In_development_the_client_is_told_to_use_the_development_role_picker()
    {
        await using var gateway = Gateway();
        var config = await ReadConfigAsync(gateway);

        Assert.Equal("development", config.GetProperty("auth").GetProperty("mode").GetString());
        Assert.Contains("clinician", config.GetProperty("auth").GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Elsewhere_the_client_signs_in_with_the_configured_authority_which_the_policy_lets_it_reach()
    {
        const string authority = "https://login.example/tenant-1/v2.0";
        await using var gateway = Gateway("Production", clientId: "web-client-id", authority: authority);
        var auth = (await ReadConfigAsync(gateway)).GetProperty("auth");

        Assert.Equal(("oidc", authority, "web-client-id"), (auth.GetProperty("mode").GetString(), auth.GetProperty("authority").GetString(), auth.GetProperty("clientId").GetString()));
        Assert.Contains("api://dental/.default", auth.GetProperty("scope").GetString(), StringComparison.Ordinal);
        using var page = await gateway.CreateClient().GetAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("connect-src 'self' https://login.example;", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_policy_lets_the_browser_follow_content_links_to_the_storage_account_only_when_configured()
    {
        await using var plain = Gateway();
        await using var linking = fixture.Create(overrides: new Dictionary<string, string?>
        {
            ["WebClient:Path"] = _site,
            ["WebClient:ContentOrigins:0"] = "https://dentalst123.blob.core.windows.net/",
        });

        using var withoutLinks = await plain.CreateClient().GetAsync(new Uri("/", UriKind.Relative));
        using var withLinks = await linking.CreateClient().GetAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("connect-src 'self';", withoutLinks.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' https://dentalst123.blob.core.windows.net;", withLinks.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_client_id_outside_development_the_config_says_sign_in_is_not_configured()
    {
        await using var gateway = Gateway("Production", authority: "https://login.example/tenant-1/v2.0");
        using var response = await gateway.CreateClient().GetAsync(new Uri("/app-config.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonElement> ReadConfigAsync(ServiceFactory<Dental.Gateway.GatewayOptions> gateway)
    {
        using var response = await gateway.CreateClient().GetAsync(new Uri("/app-config.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public void Dispose() => Directory.Delete(_site, recursive: true);
}

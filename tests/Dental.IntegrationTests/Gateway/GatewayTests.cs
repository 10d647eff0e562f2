using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dental.ServiceDefaults.Auth;
using Dental.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dental.IntegrationTests.Gateway;

public class GatewayTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Patient = "0b7c6f0e-4c1e-4d5a-9f57-1c2b3a4d5e6f";
    private static readonly string Image = Guid.NewGuid().ToString();

    /// <summary>The whole route table: how each route is called, the backend it reaches, and the policy that guards it.</summary>
    public static TheoryData<string, string, string, string> Routes => new()
    {
        { "POST", $"/api/v1/patients/{Patient}/images", "upload", Policies.Upload },
        { "GET", $"/api/v1/patients/{Patient}/images", "catalog", Policies.Read },
        { "GET", $"/api/v1/patients/{Patient}/images/{Image}", "catalog", Policies.Read },
        { "GET", $"/api/v1/patients/{Patient}/summary", "catalog", Policies.Read },
        { "GET", $"/api/v1/patients/{Patient}/images/{Image}/content", "catalog", Policies.ReadContent },
        { "GET", $"/api/v1/patients/{Patient}/images/{Image}/previews/small", "catalog", Policies.ReadContent },
        { "DELETE", $"/api/v1/patients/{Patient}/images/{Image}", "catalog", Policies.Delete },
        { "POST", $"/api/v1/patients/{Patient}/images/{Image}/restore", "catalog", Policies.Delete },
        { "DELETE", $"/api/v1/patients/{Patient}", "catalog", Policies.Erase },
        { "GET", $"/api/v1/patients/{Patient}/access-report", "catalog", Policies.Audit },
        { "GET", $"/api/v1/patients/{Patient}/erasure", "catalog", Policies.Audit },
        { "GET", $"/api/v1/patients/{Patient}/export", "catalog", Policies.Export },
        { "GET", "/api/v1/audit", "catalog", Policies.Audit },
        { "GET", "/api/v1/patients", "catalog", Policies.Read },
    };

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "POST" ? new StringContent("{}") : null,
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_admits_exactly_the_roles_of_its_policy_and_only_inside_a_clinic(string method, string path, string backend, string policy)
    {
        var allowed = Policies.RolesOf[policy][0];
        var cases = new List<(string Name, string? Token, HttpStatusCode Expected)>
        {
            ("no token", null, HttpStatusCode.Unauthorized),
            ("wrong signature", TestTokens.WrongSignature(allowed), HttpStatusCode.Unauthorized),
            ("expired", TestTokens.Expired(allowed), HttpStatusCode.Unauthorized),
            ("wrong audience", TestTokens.WrongAudience(allowed), HttpStatusCode.Unauthorized),
            ("no clinic", TestTokens.For(allowed, clinic: null), HttpStatusCode.Forbidden),
        };
        foreach (var role in Roles.All.Append(Roles.Operator))
        {
            cases.Add(($"role {role}", TestTokens.For(role), Policies.RolesOf[policy].Contains(role) ? HttpStatusCode.OK : HttpStatusCode.Forbidden));
        }

        foreach (var (name, token, expected) in cases)
        {
            using var response = await fixture.Client(token).SendAsync(Request(method, path));
            Assert.True(expected == response.StatusCode, $"{method} {path} with {name}: {(int)response.StatusCode}");
            if (expected == HttpStatusCode.OK)
            {
                var echo = EchoBackend.Echo.From(await response.Content.ReadAsStringAsync())!;
                Assert.Equal((backend, method, path), (echo.Backend, echo.Method, echo.Path));
                Assert.True(echo.HadAuthorization, "the token is forwarded so the backend validates it again");
            }

            if (name == "no clinic")
            {
                Assert.Equal(Dental.Contracts.Api.ProblemTypes.NoClinic, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());
            }
        }
    }

    [Fact]
    public async Task Requests_carry_a_request_id_and_trace_context_both_ways_and_security_headers()
    {
        using var request = Request("GET", $"/api/v1/patients/{Patient}/images");
        request.Headers.Add("X-Request-Id", "clinic-ticket-42");
        using var response = await fixture.Client(TestTokens.For("clinician")).SendAsync(request);

        var echo = EchoBackend.Echo.From(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("clinic-ticket-42", echo.RequestId);
        Assert.Equal("clinic-ticket-42", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", echo.TraceParent);
        var traceId = echo.TraceParent.Split('-')[1];
        Assert.StartsWith($"00-{traceId}-", response.Headers.GetValues("traceresponse").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());

        using var unsafeId = Request("GET", $"/api/v1/patients/{Patient}/images");
        unsafeId.Headers.Add("X-Request-Id", "<script>");
        var generated = (await fixture.Client(TestTokens.For("clinician")).SendAsync(unsafeId)).Headers.GetValues("X-Request-Id").Single();
        Assert.Matches("^[0-9a-f]{32}$", generated);
    }

    [Fact]
    public async Task Bodies_above_a_routes_limit_are_413()
    {
        var token = TestTokens.For("admin");
        using var small = Request("POST", $"/api/v1/patients/{Patient}/images/{Image}/restore");
        small.Content = new ByteArrayContent(new byte[100 * 1024]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await fixture.Client(token).SendAsync(small)).StatusCode);

        await using var tight = fixture.Create(overrides: new Dictionary<string, string?> { ["Gateway:MaxUploadRequestBytes"] = "1048576" });
        var client = tight.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var upload = await client.PostAsync($"/api/v1/patients/{Patient}/images", new ByteArrayContent(new byte[2 * 1024 * 1024]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upload.StatusCode);
        Assert.Equal("application/problem+json", upload.Content.Headers.ContentType!.MediaType);
        var fits = await client.PostAsync($"/api/v1/patients/{Patient}/images", new ByteArrayContent(new byte[512 * 1024]));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
    }

    [Fact]
    public async Task A_user_over_the_rate_limit_gets_429_with_retry_after_and_others_are_unaffected()
    {
        await using var limited = fixture.Create(overrides: new Dictionary<string, string?> { ["Gateway:RequestsPerWindow"] = "5", ["Gateway:RateLimitWindow"] = "00:01:00" });
        var busy = limited.CreateClient();
        busy.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician", "busy-user"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await busy.GetAsync($"/api/v1/patients/{Patient}/images")).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.TooManyRequests), statuses);
        var refused = await busy.GetAsync($"/api/v1/patients/{Patient}/images");
        Assert.True(refused.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        var other = limited.CreateClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician", "calm-user"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/v1/patients/{Patient}/images")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/health/live")).StatusCode);
    }

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("192.0.2.0/24", false)]
    [InlineData(null, false)]
    public async Task Anonymous_callers_are_limited_by_their_forwarded_address_only_behind_a_trusted_proxy(string? trustedNetwork, bool trusted)
    {
        // Every connection comes from the ingress (10.1.2.3), as in Azure Container Apps.
        var settings = new Dictionary<string, string?> { ["Gateway:RequestsPerWindow"] = "3" };
        if (trustedNetwork is not null)
        {
            settings["Gateway:TrustedProxyNetworks:0"] = trustedNetwork;
        }

        await using var gateway = fixture.Create(
            overrides: settings,
            configure: web => web.ConfigureServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, FromIngress>()));
        async Task<HttpStatusCode> FromAsync(string client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/patients/{Patient}/images");
            request.Headers.Add("X-Forwarded-For", client);
            return (await gateway.CreateClient().SendAsync(request)).StatusCode;
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await FromAsync("203.0.113.5"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await FromAsync("203.0.113.5"));
        // Another client behind the same ingress has its own budget only when the ingress is trusted.
        Assert.Equal(trusted ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, await FromAsync("198.51.100.7"));
    }

    private sealed class FromIngress : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(then => context =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
                return then(context);
            });
            next(app);
        };
    }

    [Fact]
    public async Task Dev_token_exists_in_development_only()
    {
        var minted = await fixture.Client(null).PostAsJsonAsync("/dev/token", new { role = "clinician", sub = "dr-who", clinic = "clinic-a" });
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        var token = JsonDocument.Parse(await minted.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client(token).GetAsync($"/api/v1/patients/{Patient}/images")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Client(null).PostAsJsonAsync("/dev/token", new { role = "root" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Client(null).PostAsJsonAsync("/dev/token", new { role = "clinician", clinic = "clinic a/../b" })).StatusCode);
        var clinicless = await fixture.Client(null).PostAsJsonAsync("/dev/token", new { role = "clinician", sub = "dr-who" });
        var cliniclessToken = JsonDocument.Parse(await clinicless.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client(cliniclessToken).GetAsync($"/api/v1/patients/{Patient}/images")).StatusCode);

        await using var production = fixture.Create("Production", new Dictionary<string, string?>
        {
            ["Auth:Authority"] = "https://login.example/tenant-1/v2.0",
        });
        var response = await production.CreateClient().PostAsJsonAsync("/dev/token", new { role = "clinician", sub = "dr-who" });
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, response.StatusCode.ToString());
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_development_a_configured_signing_key_stops_the_start(string environment)
    {
        var settings = GatewayFixture.Settings(fixture.Scope, fixture.Upload.Address, fixture.Catalog.Address);
        settings["Auth:Authority"] = "https://login.example/tenant-1/v2.0";
        using var gateway = new ServiceFactory<Dental.Gateway.GatewayOptions>(settings, environment);

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => gateway.CreateClient());
        Assert.Contains("Auth:SigningKey is for the Development environment only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cors_allows_the_configured_web_origin_only()
    {
        async Task<HttpResponseMessage> PreflightAsync(string origin)
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/api/v1/patients/{Patient}/images");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization,idempotency-key");
            return await fixture.Client(null).SendAsync(preflight);
        }

        var allowed = await PreflightAsync("https://clinic.example");
        Assert.Equal("https://clinic.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var other = await PreflightAsync("https://evil.example");
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Ready_reports_the_backends_and_the_openapi_document_merges_them()
    {
        var ready = await fixture.Client(null).GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("{\"status\":\"Healthy\"}", await ready.Content.ReadAsStringAsync());
        Assert.Contains("backends", await fixture.Client(TestTokens.For("admin")).GetStringAsync("/health/ready"), StringComparison.Ordinal);

        // Served without a token: the document holds no patient data.
        var document = JsonDocument.Parse(await fixture.Client(null).GetStringAsync("/openapi/v1.json")).RootElement;
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/upload", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/catalog", out _));
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("catalogThing", out _));

        await using var oneDown = fixture.Create(overrides: new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:catalog:Destinations:primary:Address"] = $"http://127.0.0.1:{FreePort.Next()}",
        });
        var notReady = await oneDown.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("{\"status\":\"Unhealthy\"}", await notReady.Content.ReadAsStringAsync());
        var asAdmin = oneDown.CreateClient();
        asAdmin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("admin"));
        // The first probes of a fresh host may time out on a loaded machine (the report then names only the timeout): wait for the named cause.
        await Eventually.ReturnsAsync(async () => await (await asAdmin.GetAsync("/health/ready")).Content.ReadAsStringAsync(),
            body => body.Contains("catalog: unreachable", StringComparison.Ordinal), "the readiness report to name the unreachable catalog");
    }
}

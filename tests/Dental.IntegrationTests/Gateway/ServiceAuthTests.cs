using System.Net;
using System.Net.Http.Headers;
using Dental.Catalog;
using Dental.ServiceDefaults.Auth;
using Dental.Testing;

namespace Dental.IntegrationTests.Gateway;

/// <summary>Defense in depth: a request that bypasses the gateway meets the same token checks at the service.</summary>
public class ServiceAuthTests
{
    /// <summary>Every route the catalog serves, and the policy that guards it (the same table the gateway enforces).</summary>
    public static TheoryData<string, string, string> CatalogRoutes => new()
    {
        { "GET", "/images", Policies.Read },
        { "GET", "/images/0b7c6f0e-4c1e-4d5a-9f57-1c2b3a4d5e6f", Policies.Read },
        { "GET", "/summary", Policies.Read },
        { "GET", "/images/0b7c6f0e-4c1e-4d5a-9f57-1c2b3a4d5e6f/content", Policies.ReadContent },
        { "GET", "/images/0b7c6f0e-4c1e-4d5a-9f57-1c2b3a4d5e6f/previews/small", Policies.ReadContent },
        { "DELETE", "/images/0b7c6f0e-4c1e-4d5a-9f57-1c2b3a4d5e6f", Policies.Delete },
        { "POST", "/images/0b7c6f0e-4c1e-4d5a-9f57-1c2b3a4d5e6f/restore", Policies.Delete },
        { "DELETE", "", Policies.Erase },
        { "GET", "/access-report", Policies.Audit },
    };

    [Theory]
    [MemberData(nameof(CatalogRoutes))]
    public async Task The_catalog_enforces_the_role_table_and_the_clinic_on_its_own(string method, string suffix, string policy)
    {
        var scope = await TestScope.CreateAsync();
        await using var catalog = new ServiceFactory<CatalogOptions>(scope.ServiceSettings());
        await AssertEnforcedAsync(catalog.CreateClient(), method, $"/api/v1/patients/p-{Guid.NewGuid():N}{suffix}", policy);
    }

    [Fact]
    public async Task The_catalog_enforces_the_role_table_and_the_clinic_on_its_clinic_wide_routes()
    {
        var scope = await TestScope.CreateAsync();
        await using var catalog = new ServiceFactory<CatalogOptions>(scope.ServiceSettings());
        var client = catalog.CreateClient();
        await AssertEnforcedAsync(client, "GET", "/api/v1/audit", Policies.Audit);
        await AssertEnforcedAsync(client, "GET", "/api/v1/patients", Policies.Read);
    }

    [Fact]
    public async Task The_upload_service_enforces_the_role_table_and_the_clinic_on_its_own()
    {
        var scope = await TestScope.CreateAsync();
        await using var upload = new ServiceFactory<Dental.Upload.UploadOptions>(scope.ServiceSettings());
        await AssertEnforcedAsync(upload.CreateClient(), "POST", $"/api/v1/patients/p-{Guid.NewGuid():N}/images", Policies.Upload);
    }

    [Fact]
    public async Task With_entra_tenants_as_clinics_only_the_tid_claim_names_the_clinic()
    {
        var scope = await TestScope.CreateAsync();
        const string tenant = "b6a1c3e0-1f0e-4d55-9a8a-0d7c3f1e2a10";
        await scope.Clinics().RegisterAsync(tenant, "an Entra tenant", CancellationToken.None);
        var settings = new Dictionary<string, string?>(scope.ServiceSettings()) { ["Auth:ClinicClaim"] = "tid" };
        await using var catalog = new ServiceFactory<CatalogOptions>(settings);
        var client = catalog.CreateClient();
        var path = $"/api/v1/patients/p-{Guid.NewGuid():N}/images";

        async Task<HttpStatusCode> GetAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            return (await client.SendAsync(request)).StatusCode;
        }

        // Its containers are created at start: ask once it is ready.
        await Eventually.ReturnsAsync(async () => (await client.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK, "the catalog to be ready");
        Assert.Equal(HttpStatusCode.OK, await GetAsync(TestTokens.WithClinicClaim(Roles.Clinician, "tid", tenant)));
        // A "clinic" claim is not trusted when tenants are the clinics.
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(TestTokens.For(Roles.Clinician)));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(TestTokens.WithClinicClaim(Roles.Clinician, "tid", "not a clinic/id")));
    }

    /// <summary>Bad tokens are 401; a token without a clinic, or whose roles the policy does not admit, is 403; anything else is let through.</summary>
    private static async Task AssertEnforcedAsync(HttpClient client, string method, string path, string policy)
    {
        // The service creates its containers at start: a request before that would meet a missing container, not the policy.
        await Eventually.StatusAsync(client, "/health/ready", HttpStatusCode.OK);
        var allowed = Policies.RolesOf[policy][0];
        var cases = new List<(string Name, string? Token, HttpStatusCode[] Expected)>
        {
            ("no token", null, [HttpStatusCode.Unauthorized]),
            ("wrong signature", TestTokens.WrongSignature(allowed), [HttpStatusCode.Unauthorized]),
            ("expired", TestTokens.Expired(allowed), [HttpStatusCode.Unauthorized]),
            ("wrong audience", TestTokens.WrongAudience(allowed), [HttpStatusCode.Unauthorized]),
            ("no clinic", TestTokens.For(allowed, clinic: null), [HttpStatusCode.Forbidden]),
        };
        foreach (var role in Roles.All.Append(Roles.Operator))
        {
            // Let through, the request meets the route's own answer: the image does not exist (404), the form is empty (400), …
            cases.Add(($"role {role}", TestTokens.For(role), Policies.RolesOf[policy].Contains(role)
                ? [HttpStatusCode.OK, HttpStatusCode.NoContent, HttpStatusCode.Accepted, HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.UnsupportedMediaType]
                : [HttpStatusCode.Forbidden]));
        }

        foreach (var (name, token, expected) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            var status = (await client.SendAsync(request)).StatusCode;
            Assert.True(expected.Contains(status), $"{method} {path} with {name}: {(int)status}");
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using Dental.Catalog;
using Dental.Testing;

namespace Dental.IntegrationTests.Gateway;

/// <summary>Defense in depth: a request that bypasses the gateway meets the same token checks at the service.</summary>
public class ServiceAuthTests
{
    [Theory]
    [InlineData("GET", "/images", "auditor", "service")]
    [InlineData("DELETE", "/images/0b7c6f0e-4c1e-4d5a-9f57-1c2b3a4d5e6f", "clinician", "auditor")]
    [InlineData("DELETE", "", "admin", "clinician")]
    public async Task The_catalog_enforces_the_auth_matrix_on_its_own(string method, string suffix, string allowed, string refused)
    {
        var scope = await TestScope.CreateAsync();
        await using var catalog = new ServiceFactory<CatalogOptions>(scope.ServiceSettings());
        var path = $"/api/v1/patients/p-{Guid.NewGuid():N}{suffix}";
        var cases = new (string? Token, HttpStatusCode[] Expected)[]
        {
            (null, [HttpStatusCode.Unauthorized]),
            (TestTokens.WrongSignature(allowed), [HttpStatusCode.Unauthorized]),
            (TestTokens.Expired(allowed), [HttpStatusCode.Unauthorized]),
            (TestTokens.WrongAudience(allowed), [HttpStatusCode.Unauthorized]),
            (TestTokens.For(refused), [HttpStatusCode.Forbidden]),
            // The image does not exist: 404 proves the request was let through.
            (TestTokens.For(allowed), [HttpStatusCode.OK, HttpStatusCode.NotFound]),
        };

        var client = catalog.CreateClient();
        foreach (var (token, expected) in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            var status = (await client.SendAsync(request)).StatusCode;
            Assert.Contains(status, expected);
        }
    }
}

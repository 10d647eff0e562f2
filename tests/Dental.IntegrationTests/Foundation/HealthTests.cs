using System.Net;
using Dental.Catalog;
using Dental.Testing;
using Dental.Thumbnailer;
using Dental.Upload;

namespace Dental.IntegrationTests.Foundation;

public class HealthTests
{
    public static TheoryData<string> Services => ["upload", "thumbnailer", "catalog"];

    private static IDisposable Start(string service, Dictionary<string, string?> settings, out HttpClient client)
    {
        switch (service)
        {
            case "upload":
                var upload = new ServiceFactory<UploadOptions>(settings);
                client = upload.CreateClient();
                return upload;
            case "thumbnailer":
                var thumbnailer = new ServiceFactory<ThumbnailerOptions>(settings);
                client = thumbnailer.CreateClient();
                return thumbnailer;
            default:
                var catalog = new ServiceFactory<CatalogOptions>(settings);
                client = catalog.CreateClient();
                return catalog;
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Ready_once_its_dependencies_answer(string service)
    {
        var scope = await TestScope.CreateAsync();
        using var host = Start(service, scope.ServiceSettings(), out var client);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal("{\"status\":\"Healthy\"}", await Eventually.StatusAsync(client, "/health/ready", HttpStatusCode.OK));
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.For("admin"));
        Assert.Contains("\"blob\"", await Eventually.StatusAsync(client, "/health/ready", HttpStatusCode.OK), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Not_ready_while_storage_is_unreachable(string service)
    {
        var scope = await TestScope.CreateAsync();
        var settings = scope.ServiceSettings();
        settings["Storage:ConnectionString"] = scope.StorageConnectionStringWithout("blob");
        using var host = Start(service, settings, out var client);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // Anonymous: the verdict only, never which dependency failed, its address or the exception text.
        Assert.Equal("{\"status\":\"Unhealthy\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Catalog_is_not_ready_while_cosmos_is_unreachable()
    {
        var scope = await TestScope.CreateAsync();
        var settings = scope.ServiceSettings();
        settings["Cosmos:ConnectionString"] = TestEmulators.CosmosConnectionStringFor(FreePort.Next());
        using var catalog = new ServiceFactory<CatalogOptions>(settings);
        var client = catalog.CreateClient();
        using var anonymous = await client.GetAsync("/health/ready");
        Assert.Equal("{\"status\":\"Unhealthy\"}", await anonymous.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.For("admin"));

        var response = await client.GetAsync("/health/ready");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"cosmos\":{\"status\":\"Unhealthy\"", body, StringComparison.Ordinal);
    }
}

using System.Net.Http.Headers;
using Dental.AzureClients;
using Dental.Testing;
using Microsoft.Azure.Cosmos;

namespace Dental.Bench;

/// <summary>The Catalog service as a real process on a scope of the test emulators, its Cosmos container, and a clinician's client.</summary>
internal sealed class RunningCatalog(TestProcess process, Container container, HttpClient http) : IDisposable
{
    public Container Container => container;

    public HttpClient Http => http;

    public static async Task<RunningCatalog> StartAsync()
    {
        var scope = await TestScope.CreateAsync();
        var port = FreePort.Next();
        var process = await ServiceProcess.StartAsync("Catalog", port, scope.ServiceSettings());
        var container = CosmosExtensions.CreateClient(new CosmosOptions { ConnectionString = scope.CosmosConnectionString, AcceptEmulatorCertificate = true })
            .GetContainer(scope.Database, "images");
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician"));
        return new RunningCatalog(process, container, http);
    }

    public void Dispose()
    {
        http.Dispose();
        process.Dispose();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.Catalog.Api;
using Dental.Contracts.Api;
using Dental.Testing;
using Dental.Upload;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>The whole platform through its Aspire app host, plus the client-side helpers end-to-end tests share.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public AspirePlatform Platform { get; private set; } = null!;

    public async Task InitializeAsync() => Platform = await AspirePlatform.StartAsync();

    public async Task DisposeAsync() => await Platform.DisposeAsync();

    public static async Task<UploadResponse> UploadAsync(HttpClient client, string patient, UploadForm form, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsync($"/api/v1/patients/{patient}/images", form.Build());
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<UploadResponse>(JsonSerializerOptions.Web))!;
    }

    public static Task<ImageResource> WaitUntilReadyAsync(HttpClient client, string patient, Guid image, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(
            async () =>
            {
                var response = await client.GetAsync($"/api/v1/patients/{patient}/images/{image}");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web) : null;
            },
            i => i?.Status is ImageStatus.Ready or ImageStatus.Failed,
            $"image {image} to be processed",
            timeout ?? TimeSpan.FromSeconds(60))!;

    public static async Task<ImagePage> ListAsync(HttpClient client, string patient, string query = "") =>
        (await client.GetFromJsonAsync<ImagePage>($"/api/v1/patients/{patient}/images?{query}", JsonSerializerOptions.Web))!;

    public static async Task<List<string>> BlobsAsync(TestScope scope, string container, string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in new BlobServiceClient(scope.StorageConnectionString).GetBlobContainerClient(container).GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}

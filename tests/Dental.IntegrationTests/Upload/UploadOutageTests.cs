using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Messaging;
using Azure.Storage.Blobs;
using Dental.Messaging;
using Dental.Testing;
using Dental.Upload;
using Dental.Upload.Store;

namespace Dental.IntegrationTests.Upload;

/// <summary>
/// The two allowed outcomes of an upload when something is down: 201 with the event delivered (later,
/// from the outbox), or an error with Retry-After and nothing stored. Never 201 with a lost event.
/// </summary>
public class UploadOutageTests
{
    private static HttpClient Client(ServiceFactory<UploadOptions> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician"));
        return client;
    }

    [Fact]
    public async Task With_the_queue_down_the_upload_is_accepted_and_its_event_is_published_once_the_queue_is_back()
    {
        var scope = await TestScope.CreateAsync();
        var settings = UploadFixture.Settings(scope);
        settings["Messaging:StorageQueues:ConnectionString"] = scope.StorageConnectionStringWithout("queue");
        var patient = Guid.NewGuid().ToString();
        var records = new BlobServiceClient(scope.StorageConnectionString).GetBlobContainerClient(scope.UploadRecordsContainer);

        Guid imageId;
        await using (var queueDown = new ServiceFactory<UploadOptions>(settings))
        {
            var response = await Client(queueDown).PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("11", "xray", TestImages.JpegLike(640, 480, seed: 90)).Build());

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            imageId = (await response.Content.ReadFromJsonAsync<UploadResponse>(JsonSerializerOptions.Web))!.Items[0].Id;
            Assert.True((await records.GetBlobClient(UploadRecords.Outbox(imageId)).ExistsAsync()).Value);
        }

        // The queue is reachable again (a fresh instance, as after a restart): the sweeper publishes.
        var healthy = UploadFixture.Settings(scope);
        healthy["Upload:OutboxSweepInterval"] = "00:00:00.200";
        healthy["Upload:OutboxMinimumAge"] = "00:00:00";
        await using var recovered = new ServiceFactory<UploadOptions>(healthy);
        _ = recovered.Services;
        var queue = scope.Queue("catalog");
        var envelope = await Eventually.ReturnsAsync(
            async () => (await queue.ExistsAsync()).Value
                ? (await queue.PeekMessagesAsync(32)).Value.Select(m => CloudEvent.Parse(m.Body)!).FirstOrDefault()
                : null,
            e => e is not null,
            "the deferred ImageUploaded event");
        Assert.Equal($"{imageId}:uploaded", envelope!.Id);
        await Eventually.ReturnsAsync(
            async () => (await records.GetBlobClient(UploadRecords.Outbox(imageId)).ExistsAsync()).Value,
            exists => !exists,
            "the outbox entry to be removed");
    }

    [Fact]
    public async Task With_blob_storage_down_the_upload_is_refused_with_retry_after_and_nothing_is_announced()
    {
        var scope = await TestScope.CreateAsync();
        var settings = UploadFixture.Settings(scope);
        settings["Storage:ConnectionString"] = scope.StorageConnectionStringWithout("blob");
        await using var factory = new ServiceFactory<UploadOptions>(settings);

        var response = await Client(factory).PostAsync($"/api/v1/patients/{Guid.NewGuid()}/images", UploadForm.For("11", "xray", TestImages.JpegLike(640, 480, seed: 91)).Build());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        var queue = scope.Queue("catalog");
        Assert.False((await queue.ExistsAsync()).Value && (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0);
    }
}

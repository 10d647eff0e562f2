using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Dental.Audit;
using Dental.Catalog;
using Dental.IntegrationTests.Upload;
using Dental.Testing;
using Dental.Upload;

namespace Dental.IntegrationTests.Audit;

/// <summary>The Upload service's records, and what happens when the audit store cannot be written.</summary>
public class AuditedUploadTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    [Fact]
    public async Task An_upload_is_recorded_with_the_images_it_created_and_a_rejected_one_with_its_status()
    {
        var patient = Guid.NewGuid().ToString();
        var response = await fixture.Client(subject: "dr-upload").PostAsync($"/api/v1/patients/{patient}/images",
            UploadForm.For("21", "clinical", TestImages.Png(32, 24, sample: (x, y, c) => (x + y + c) % 256), TestImages.Png(32, 24, sample: (x, y, c) => (x * y + c) % 256)).Build());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<UploadResponse>(JsonSerializerOptions.Web))!.Items.Select(i => i.Id.ToString("D")).ToList();
        var refused = await fixture.Client(subject: "dr-upload").PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("19", "clinical", TestImages.Png(32, 24)).Build());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var records = (await fixture.Scope.AuditRecordsAsync()).Where(r => r.PatientId == patient).OrderBy(r => r.Time).ToList();
        Assert.Equal([(201, 2), (400, 0)], records.Select(r => (r.Outcome, r.ImageIds.Count)));
        Assert.Equal(created, records[0].ImageIds);
        Assert.All(records, r => Assert.Equal((AuditActions.ImagesUpload, "data_create", "dr-upload", "clinician", "Dental.Upload"), (r.Action, r.EventType, r.Actor, r.Role, r.Service)));
    }

    [Fact]
    public async Task While_the_audit_store_cannot_be_written_reads_answer_503_and_never_the_data_and_recover_when_it_is_back()
    {
        var scope = await TestScope.CreateAsync();
        await using var catalog = new ServiceFactory<CatalogOptions>(scope.ServiceSettings());
        var client = catalog.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("clinician"));
        await Eventually.StatusAsync(catalog.CreateClient(), "/health/ready", HttpStatusCode.OK);
        var path = $"/api/v1/patients/{Guid.NewGuid()}/images";
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);

        var audit = new BlobServiceClient(scope.StorageConnectionString).GetBlobContainerClient(scope.AuditContainer);
        await audit.DeleteAsync();
        var refused = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Audit trail unavailable", problem.GetProperty("title").GetString());
        Assert.False(problem.TryGetProperty("items", out _));

        await audit.CreateAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
        Assert.Single(await scope.AuditRecordsAsync());
    }
}

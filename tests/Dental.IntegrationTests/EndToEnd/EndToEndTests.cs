using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dental.Catalog.Api;
using Dental.Contracts.Api;
using Dental.Testing;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>Gateway → Upload → Thumbnailer → Catalog, all real processes, real emulators, real libvips.</summary>
public class EndToEndTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task An_upload_through_the_gateway_becomes_listed_counted_and_viewable_and_can_be_deleted_restored_and_erased()
    {
        var client = fixture.Platform.Client();
        var patient = Guid.NewGuid().ToString();
        var photo = JpegFixtures.Encode(TestImages.Png(1600, 1200), 1600);
        var xray = TestImages.Png(800, 600, TestImages.PngColor.Gray, 16, (x, y, _) => (x * 3000 / 800) + (y % 50));

        var response = await client.PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("36", "xray", photo, xray).Build());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var traceId = response.Headers.GetValues("traceresponse").Single().Split('-')[1];
        var uploaded = (await response.Content.ReadFromJsonAsync<Dental.Upload.UploadResponse>(JsonSerializerOptions.Web))!.Items;
        Assert.Equal(2, uploaded.Count);

        foreach (var image in uploaded)
        {
            var ready = await PlatformFixture.WaitUntilReadyAsync(client, patient, image.Id);
            Assert.Equal(ImageStatus.Ready, ready.Status);
            Assert.Equal(2, ready.Previews!.Count);
        }

        var page = await PlatformFixture.ListAsync(client, patient);
        Assert.Equal(uploaded.Select(i => i.Id).Order(), page.Items.Select(i => i.Id).Order());
        var summary = await client.GetFromJsonAsync<PatientSummary>($"/api/v1/patients/{patient}/summary", JsonSerializerOptions.Web);
        Assert.Equal(2, summary!.Teeth["36"]["xray"]);
        Assert.Equal(photo, await client.GetByteArrayAsync($"/api/v1/patients/{patient}/images/{uploaded[0].Id}/content"));
        var preview = await client.GetAsync($"/api/v1/patients/{patient}/images/{uploaded[1].Id}/previews/medium");
        Assert.Equal("image/jpeg", preview.Content.Headers.ContentType!.MediaType);

        // The same trace id is in the logs of all four services.
        foreach (var service in RunningPlatform.Services)
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Platform.Processes[service].Output.Contains(traceId, StringComparison.Ordinal)), found => found, $"{service}'s logs to show trace {traceId}");
        }

        var duplicate = await PlatformFixture.UploadAsync(client, patient, UploadForm.For("11", "clinical", photo), HttpStatusCode.OK);
        Assert.True(duplicate.Items.Single().Duplicate);
        Assert.Equal(uploaded[0].Id, duplicate.Items.Single().Id);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/patients/{patient}/images/{uploaded[1].Id}")).StatusCode);
        Assert.Single((await PlatformFixture.ListAsync(client, patient)).Items);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/patients/{patient}/images/{uploaded[1].Id}/restore", null)).StatusCode);
        Assert.Equal(2, (await PlatformFixture.ListAsync(client, patient)).Items.Count);

        var erased = await fixture.Platform.Client("admin").DeleteAsync($"/api/v1/patients/{patient}");
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Empty(await PlatformFixture.BlobsAsync(fixture.Platform.Scope, fixture.Platform.Scope.OriginalsContainer, patient + "/"));
        Assert.Empty(await PlatformFixture.BlobsAsync(fixture.Platform.Scope, fixture.Platform.Scope.PreviewsContainer, patient + "/"));
        Assert.Empty((await PlatformFixture.ListAsync(fixture.Platform.Client("admin"), patient, "includeDeleted=true")).Items);
    }
}

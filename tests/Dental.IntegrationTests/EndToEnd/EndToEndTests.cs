using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dental.Catalog.Api;
using Dental.Catalog.Erasure;
using Dental.Client;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Testing;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>Gateway → Upload → Thumbnailer → Catalog, started by the app host: real processes, real emulators, real libvips.</summary>
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
            // An image is ready with every preview it will show, the viewing rendition among them.
            Assert.Equal(["large", "medium", "small"], ready.Previews!.Keys.Order());
        }

        // Through the gateway, another clinic sees nothing of this patient: the same id there is another, empty patient.
        var otherClinic = fixture.Platform.Client(clinic: TestScope.OtherClinic);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClinic.GetAsync($"/api/v1/patients/{patient}/images/{uploaded[0].Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClinic.GetAsync($"/api/v1/patients/{patient}/images/{uploaded[0].Id}/content")).StatusCode);
        Assert.Contains("\"items\":[]", await otherClinic.GetStringAsync($"/api/v1/patients/{patient}/images"), StringComparison.Ordinal);
        Assert.Contains("\"total\":0", await otherClinic.GetStringAsync($"/api/v1/patients/{patient}/summary"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClinic.GetAsync($"/api/v1/patients/{patient}/images/{uploaded[0].Id}/previews/small")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClinic.DeleteAsync($"/api/v1/patients/{patient}/images/{uploaded[0].Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClinic.PostAsync($"/api/v1/patients/{patient}/images/{uploaded[0].Id}/restore", null)).StatusCode);
        Assert.DoesNotContain(patient, await otherClinic.GetStringAsync("/api/v1/patients?count=50"), StringComparison.Ordinal);
        Assert.Contains(patient, await client.GetStringAsync("/api/v1/patients?count=50"), StringComparison.Ordinal);
        // Erasing "the same" patient in the other clinic erases that clinic's (empty) patient, not this one.
        var otherErased = await fixture.Platform.Client("admin", clinic: TestScope.OtherClinic).DeleteAsync($"/api/v1/patients/{patient}");
        Assert.Equal(HttpStatusCode.Accepted, otherErased.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/patients/{patient}/images/{uploaded[0].Id}/previews/small")).StatusCode);
        // The other clinic's auditor finds its own clinic's attempts on record, and nothing of this clinic's work.
        var otherTrail = await fixture.Platform.Client("auditor", clinic: TestScope.OtherClinic).GetStringAsync($"/api/v1/audit?patientId={patient}");
        Assert.Contains("\"action\":\"patient.erase\"", otherTrail, StringComparison.Ordinal);
        Assert.DoesNotContain("images.upload", otherTrail, StringComparison.Ordinal);
        var ownTrail = await fixture.Platform.Client("auditor").GetStringAsync($"/api/v1/audit?patientId={patient}&action=images.upload");
        Assert.Contains(uploaded[1].Id.ToString(), ownTrail, StringComparison.Ordinal);

        // From here on as an integrator would: through the client generated from the OpenAPI document.
        using var api = DentalApi.Connect(fixture.Platform.GatewayAddress, _ => Task.FromResult(TestTokens.For("clinician", "dr-who")));
        var images = api.Client.Api.V1.Patients[patient].Images;
        var page = await images.GetAsync();
        Assert.Equal(uploaded.Select(i => i.Id).Order(), page!.Items!.Select(i => i.Id!.Value).Order());
        // The chart is counted from the documents, so it agrees with the list at once.
        var summary = await api.Client.Api.V1.Patients[patient].Summary.GetAsync();
        Assert.Equal(2, summary!.Total);
        // A map of maps in the document: Kiota keeps its entries as untyped nodes.
        var tooth = (Microsoft.Kiota.Abstractions.Serialization.UntypedObject)summary.Teeth!.AdditionalData["36"];
        Assert.Equal(2, ((Microsoft.Kiota.Abstractions.Serialization.UntypedInteger)tooth.GetValue()["xray"]).GetValue());
        await using (var original = await images[uploaded[0].Id].Content.GetAsync())
        {
            using var bytes = new MemoryStream();
            await original!.CopyToAsync(bytes);
            Assert.Equal(photo, bytes.ToArray());
        }

        await using (var preview = await images[uploaded[1].Id].Previews["medium"].GetAsync())
        {
            Assert.Equal(0xFF, preview!.ReadByte());
        }

        // The same trace id is in the logs of all four services.
        foreach (var service in AspirePlatform.Services)
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(fixture.Platform.Logs(service).Contains(traceId, StringComparison.Ordinal)), found => found, $"{service}'s logs to show trace {traceId}:\n{fixture.Platform.Logs(service)}");
        }

        var duplicate = await api.UploadAsync(patient, new ImageUpload("11", "clinical"), [new UploadFile(new MemoryStream(photo), "again.jpg", "image/jpeg")]);
        Assert.True(duplicate.Items!.Single().Duplicate);
        // Answered as the stored image is: ready, where it was stored (36), with its previews.
        Assert.Equal((uploaded[0].Id, Dental.Client.Models.ImageResource_status.Ready, "36"), (duplicate.Items!.Single().Id, duplicate.Items!.Single().Status, duplicate.Items!.Single().Tooth));

        await images[uploaded[1].Id].DeleteAsync();
        Assert.Single((await images.GetAsync())!.Items!);
        // The bytes of a deleted image again: nothing new is stored, the answer says it is deleted (restore it instead).
        var deletedAgain = (await api.UploadAsync(patient, new ImageUpload("36", "xray"), [new UploadFile(new MemoryStream(xray), "xray.png", "image/png")])).Items!.Single();
        Assert.Equal((true, uploaded[1].Id, Dental.Client.Models.ImageResource_status.Deleted), (deletedAgain.Duplicate, deletedAgain.Id, deletedAgain.Status));
        Assert.Equal(Dental.Client.Models.ImageResource_status.Ready, (await images[uploaded[1].Id].Restore.PostAsync())!.Status);
        Assert.Equal(2, (await images.GetAsync())!.Items!.Count);

        var scope = fixture.Platform.Scope;
        var records = $"clinics/{TestTokens.Clinic}/patients/{patient}/";
        Assert.Equal(2, (await PlatformFixture.BlobsAsync(scope, scope.UploadRecordsContainer, records)).Count(n => n.Contains("/sha256/", StringComparison.Ordinal)));
        await EraseCompletelyAsync(patient);
        Assert.Empty(await PlatformFixture.BlobsAsync(scope, scope.UploadRecordsContainer, records));
        Assert.Empty((await PlatformFixture.ListAsync(fixture.Platform.Client("admin"), patient, "includeDeleted=true")).Items);
    }

    [Fact]
    public async Task A_corrected_image_moves_every_blob_to_its_new_tooth_and_type_and_everything_follows()
    {
        var client = fixture.Platform.Client();
        var scope = fixture.Platform.Scope;
        var patient = Guid.NewGuid().ToString();
        var photo = JpegFixtures.Encode(TestImages.Png(1800, 1200), 1800);
        var image = Assert.Single((await PlatformFixture.UploadAsync(client, patient, UploadForm.For("11", "clinical", photo))).Items);
        var ready = await PlatformFixture.WaitUntilReadyAsync(client, patient, image.Id);
        var (oldPrefix, newPrefix) = ($"{TestTokens.Clinic}/{patient}/11/clinical/{image.Id}", $"{TestTokens.Clinic}/{patient}/21/before/{image.Id}");

        // Universal 9 is FDI 21: the answer shows the correction at once, in both notations.
        var corrected = await PatchAsync(client, patient, image.Id, """{"tooth":"9","notation":"universal","type":"before","tags":["recall"]}""");
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var body = (await corrected.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web))!;
        Assert.Equal(("21", "9", "universal", "before", $"originals/{newPrefix}.jpg"), (body.Tooth, body.EnteredTooth, body.Notation, body.Type, body.BlobPath));

        // The owners move the original and all three previews; nothing stays at the old names.
        await Eventually.ReturnsAsync(
            async () => (await PlatformFixture.BlobsAsync(scope, scope.OriginalsContainer, newPrefix)).Count + (await PlatformFixture.BlobsAsync(scope, scope.PreviewsContainer, newPrefix + "/")).Count,
            count => count == 4, "the original and three previews under the new tooth and type");
        await Eventually.ReturnsAsync(
            async () => (await PlatformFixture.BlobsAsync(scope, scope.OriginalsContainer, oldPrefix)).Count + (await PlatformFixture.BlobsAsync(scope, scope.PreviewsContainer, oldPrefix)).Count,
            count => count == 0, "nothing left at the old names");
        Assert.Equal(photo, await client.GetByteArrayAsync($"/api/v1/patients/{patient}/images/{image.Id}/content"));
        foreach (var size in new[] { "small", "medium", "large" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/patients/{patient}/images/{image.Id}/previews/{size}")).StatusCode);
        }

        var summary = (await client.GetFromJsonAsync<PatientSummary>($"/api/v1/patients/{patient}/summary", JsonSerializerOptions.Web))!;
        Assert.Equal((1, 1), (summary.Total, summary.Teeth["21"]["before"]));
        Assert.False(summary.Teeth.ContainsKey("11"));
        // The same bytes again are answered as the image where it now is.
        var duplicate = Assert.Single((await PlatformFixture.UploadAsync(client, patient, UploadForm.For("11", "clinical", photo), HttpStatusCode.OK)).Items);
        Assert.Equal((true, image.Id, "21", "before"), (duplicate.Duplicate, duplicate.Id, duplicate.Tooth, duplicate.Type));
        // Once the owners have reported, the record takes another correction; the history keeps both, and the audit trail every edit.
        var back = await Eventually.ReturnsAsync(() => PatchAsync(client, patient, image.Id, """{"type":"clinical"}"""), r => r.StatusCode != HttpStatusCode.Conflict, "the first correction to finish");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        var history = (await back.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web))!.History;
        Assert.Equal(["tooth", "notation", "type", "tags", "type"], history.Select(h => h.Field));
        Assert.Equal(ready!.Sha256, body.Sha256);
        var trail = await fixture.Platform.Client("auditor").GetStringAsync($"/api/v1/audit?patientId={patient}&action=image.update");
        Assert.Equal(2, JsonDocument.Parse(trail).RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_variant_is_stored_under_its_original_previewed_listed_with_it_and_follows_it_through_correction_deletion_export_and_erasure()
    {
        var client = fixture.Platform.Client();
        var scope = fixture.Platform.Scope;
        var patient = Guid.NewGuid().ToString();
        var original = Assert.Single((await PlatformFixture.UploadAsync(client, patient, UploadForm.For("36", "xray", TestImages.Png(800, 600)))).Items);
        await PlatformFixture.WaitUntilReadyAsync(client, patient, original.Id);
        var overlay = TestImages.Png(800, 600, TestImages.PngColor.Rgba);

        var variantForm = UploadForm.For("36", "xray", overlay).Field("kind", "annotated");
        var response = await client.PostAsync($"/api/v1/patients/{patient}/images/{original.Id}/variants", variantForm.Build());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var variant = Assert.Single((await response.Content.ReadFromJsonAsync<Dental.Upload.UploadResponse>(JsonSerializerOptions.Web))!.Items);
        Assert.Equal((original.Id, "annotated", "dr-who"), (variant.Variant!.Of, variant.Variant.Kind, variant.Variant.Producer));
        Assert.Equal($"originals/{TestTokens.Clinic}/{patient}/36/xray/{original.Id}/{variant.Id}.png", variant.BlobPath);
        var readyVariant = await PlatformFixture.WaitUntilReadyAsync(client, patient, variant.Id);
        Assert.Equal(["medium", "small"], readyVariant.Previews!.Keys.Order());
        Assert.Equal(2, (await PlatformFixture.BlobsAsync(scope, scope.PreviewsContainer, $"{TestTokens.Clinic}/{patient}/36/xray/{original.Id}/{variant.Id}/")).Count);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/patients/{patient}/images/{variant.Id}/previews/medium")).StatusCode);

        // An integration names its model; a variant of a variant, or one without a model, is refused.
        var service = fixture.Platform.Client("service");
        var heatmap = await service.PostAsync($"/api/v1/patients/{patient}/images/{original.Id}/variants",
            UploadForm.For("36", "xray", TestImages.Png(400, 300)).Field("kind", "heatmap").Field("model", "caries-net").Field("modelVersion", "2.1").Build());
        Assert.Equal(HttpStatusCode.Created, heatmap.StatusCode);
        Assert.Equal("caries-net 2.1", Assert.Single((await heatmap.Content.ReadFromJsonAsync<Dental.Upload.UploadResponse>(JsonSerializerOptions.Web))!.Items).Variant!.Producer);
        var noModel = await service.PostAsync($"/api/v1/patients/{patient}/images/{original.Id}/variants", UploadForm.For("36", "xray", TestImages.Png(40, 30)).Field("kind", "heatmap").Build());
        Assert.Equal(HttpStatusCode.BadRequest, noModel.StatusCode);
        var ofVariant = await client.PostAsync($"/api/v1/patients/{patient}/images/{variant.Id}/variants", UploadForm.For("36", "xray", TestImages.Png(40, 31)).Field("kind", "other").Build());
        Assert.Equal(HttpStatusCode.BadRequest, ofVariant.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/v1/patients/{patient}/images/{Guid.NewGuid()}/variants",
            UploadForm.For("36", "xray", TestImages.Png(40, 32)).Field("kind", "other").Build())).StatusCode);

        // Listed with the original, never as images: the list and the chart count one image.
        var listed = Assert.Single((await PlatformFixture.ListAsync(client, patient)).Items);
        Assert.Equal(2, (await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<ImageResource>($"/api/v1/patients/{patient}/images/{original.Id}", JsonSerializerOptions.Web),
            i => i!.Variants.Count == 2 && i.Variants.All(v => v.Status == ImageStatus.Ready), "both variants ready"))!.Variants.Count);
        Assert.Equal(original.Id, listed.Id);
        Assert.Equal(1, (await client.GetFromJsonAsync<PatientSummary>($"/api/v1/patients/{patient}/summary", JsonSerializerOptions.Web))!.Total);
        Assert.Equal(2, (await client.GetFromJsonAsync<List<ImageResource>>($"/api/v1/patients/{patient}/images/{original.Id}/variants", JsonSerializerOptions.Web))!.Count);

        // A correction of the original moves the variants' blobs with it, and their records follow.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(client, patient, original.Id, """{"tooth":"46"}""")).StatusCode);
        var moved = await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<ImageResource>($"/api/v1/patients/{patient}/images/{variant.Id}", JsonSerializerOptions.Web),
            v => v!.Tooth == "46", "the variant to follow the correction");
        Assert.Equal($"originals/{TestTokens.Clinic}/{patient}/46/xray/{original.Id}/{variant.Id}.png", moved!.BlobPath);
        Assert.Equal(overlay, await client.GetByteArrayAsync($"/api/v1/patients/{patient}/images/{variant.Id}/content"));
        Assert.Empty(await PlatformFixture.BlobsAsync(scope, scope.OriginalsContainer, $"{TestTokens.Clinic}/{patient}/36/"));

        // Deleting the original hides its variants; restoring brings them back.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/patients/{patient}/images/{original.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/patients/{patient}/images/{original.Id}/variants")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/patients/{patient}/images/{variant.Id}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/patients/{patient}/images/{original.Id}/restore", null)).StatusCode);
        Assert.Equal(overlay, await client.GetByteArrayAsync($"/api/v1/patients/{patient}/images/{variant.Id}/content"));

        // The export holds the variant in a folder of its own, naming its original.
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await client.GetByteArrayAsync($"/api/v1/patients/{patient}/export")));
        Assert.Equal(overlay, ReadAll(zip.GetEntry($"images/{variant.Id}/original.png")!));
        var metadata = JsonSerializer.Deserialize<ImageResource>(ReadAll(zip.GetEntry($"images/{variant.Id}/metadata.json")!), JsonSerializerOptions.Web)!;
        Assert.Equal(original.Id, metadata.Variant!.Of);

        // Erasing the patient takes the variants' blobs and records with the original's.
        await EraseCompletelyAsync(patient);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/patients/{patient}/images/{variant.Id}")).StatusCode);
    }

    /// <summary>Erases the patient as an admin and waits for the receipt: no original or preview of the patient is left.</summary>
    private async Task EraseCompletelyAsync(string patient)
    {
        var admin = fixture.Platform.Client("admin");
        var scope = fixture.Platform.Scope;
        var erased = await admin.DeleteAsync($"/api/v1/patients/{patient}");
        Assert.Equal(HttpStatusCode.Accepted, erased.StatusCode);
        await Eventually.ReturnsAsync(() => admin.GetFromJsonAsync<ErasureReceipt>(erased.Headers.Location!.OriginalString, JsonSerializerOptions.Web),
            r => r!.Status == ErasureReceipt.Completed, "the erasure to complete");
        Assert.Empty(await PlatformFixture.BlobsAsync(scope, scope.OriginalsContainer, $"{TestTokens.Clinic}/{patient}/"));
        Assert.Empty(await PlatformFixture.BlobsAsync(scope, scope.PreviewsContainer, $"{TestTokens.Clinic}/{patient}/"));
    }

    private static byte[] ReadAll(System.IO.Compression.ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string patient, Guid imageId, string json)
    {
        var current = await client.GetAsync($"/api/v1/patients/{patient}/images/{imageId}");
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/patients/{patient}/images/{imageId}")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/merge-patch+json"),
        };
        request.Headers.IfMatch.Add(current.Headers.ETag!);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_dicom_xray_becomes_ready_with_its_technical_attributes_and_nothing_that_identifies_the_patient()
    {
        var client = fixture.Platform.Client();
        var patient = Guid.NewGuid().ToString();
        var dicom = DicomFixtures.Transcode(DicomFixtures.Create(new DicomSpec { Window = (2048, 4096) }), DicomFixtures.JpegLs);

        var response = await client.PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("46", "xray", dicom).Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<Dental.Upload.UploadResponse>(JsonSerializerOptions.Web))!.Items.Single().Id;
        var ready = await PlatformFixture.WaitUntilReadyAsync(client, patient, id);
        Assert.Equal((ImageStatus.Ready, "application/dicom", 600, 400), (ready.Status, ready.ContentType, ready.Width, ready.Height));
        var resource = await client.GetStringAsync($"/api/v1/patients/{patient}/images/{id}");
        var facts = JsonDocument.Parse(resource).RootElement.GetProperty("dicom");
        Assert.Equal(("IO", DicomFixtures.JpegLs, 12, 1), (facts.GetProperty("modality").GetString(), facts.GetProperty("transferSyntax").GetString(),
            facts.GetProperty("bitsStored").GetInt32(), facts.GetProperty("frames").GetInt32()));
        foreach (var identifying in new[] { "Doe", "MRN-0042", "19800101" })
        {
            Assert.DoesNotContain(identifying, resource, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(dicom, await client.GetByteArrayAsync($"/api/v1/patients/{patient}/images/{id}/content"));
        // The viewing rendition comes with ready: a browser can show it where it cannot show the DICOM itself.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/patients/{patient}/images/{id}/previews/large")).StatusCode);
        Assert.Contains("\"large\":{\"width\":600,\"height\":400", await client.GetStringAsync($"/api/v1/patients/{patient}/images/{id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_event_delivered_twice_leaves_one_document_exact_counts_and_the_same_previews()
    {
        var client = fixture.Platform.Client();
        var scope = fixture.Platform.Scope;
        var patient = Guid.NewGuid().ToString();
        var images = new List<ImageResource>();
        for (var i = 0; i < 3; i++)
        {
            var response = await PlatformFixture.UploadAsync(client, patient, UploadForm.For("4" + (i + 1), "after", JpegFixtures.Encode(TestImages.Png(300, 200, sample: (x, y, c) => (x * (i + 1) + y + c) % 256), 300)));
            images.Add(await PlatformFixture.WaitUntilReadyAsync(client, patient, response.Items.Single().Id));
        }

        // Ready brings all three previews: they are there before the duplicates.
        var previewsBefore = await PlatformFixture.BlobsAsync(scope, scope.PreviewsContainer, $"{TestTokens.Clinic}/{patient}/");
        Assert.Equal(3 * 3, previewsBefore.Count);
        // Deliver every ImageUploaded again, under its original event id, to both subscriptions.
        var settings = new Dictionary<string, string?>(scope.ServiceSettings()) { ["Messaging:EnsureCreated"] = "true" };
        using var publisherHost = await Dental.IntegrationTests.Messaging.ConsumerHost.StartAsync(settings, new Dental.IntegrationTests.Messaging.HandlerProbe(), consume: false);
        var publisher = (Dental.Messaging.IEventPublisher)publisherHost.Services.GetService(typeof(Dental.Messaging.IEventPublisher))!;
        foreach (var image in images)
        {
            var uploaded = new Dental.Contracts.Events.ImageUploaded(image.Id, TestTokens.Clinic, patient, image.Tooth, image.Notation, image.Type, image.BlobPath["originals/".Length..],
                image.SizeBytes, image.ContentType, image.Sha256, image.Width, image.Height, image.UploadedBy, image.UploadedAt, image.TakenAt);
            await publisher.PublishAsync("images", Dental.Contracts.Events.ImageUploaded.EventType, $"{image.Id:D}:uploaded", $"patients/{patient}/images/{image.Id:D}", uploaded, CancellationToken.None);
        }

        // Wait until every subscription has drained. The count includes messages being handled, and the queues are
        // read in pipeline order: a PreviewsReady the thumbnailer re-publishes for a duplicate is in the catalog's
        // queue before the duplicate leaves the thumbnailer's (and its LargePreviewRequested in the renditions queue, whose
        // LargePreviewReady is in the catalog's before it leaves), so an all-zero reading means nothing is left anywhere.
        async Task<int> PendingAsync()
        {
            var total = 0;
            foreach (var (subscription, topic) in new[] { ("thumbnailer", Topics.Images), ("catalog", Topics.Images), ("thumbnailer", Topics.Renditions), ("catalog", Topics.ImageResults) })
            {
                total += (await scope.Queue(subscription, topic).GetPropertiesAsync()).Value.ApproximateMessagesCount;
            }

            return total;
        }

        await Eventually.ReturnsAsync(PendingAsync, n => n == 0, "the duplicates to be consumed");

        var listed = (await PlatformFixture.ListAsync(client, patient)).Items;
        Assert.Equal(images.Select(i => i.Id).Order(), listed.Select(i => i.Id).Order());
        Assert.All(listed, i => Assert.Equal(ImageStatus.Ready, i.Status));
        var summary = await client.GetFromJsonAsync<PatientSummary>($"/api/v1/patients/{patient}/summary", JsonSerializerOptions.Web);
        Assert.Equal(3, summary!.Total);
        Assert.Equal(previewsBefore, await PlatformFixture.BlobsAsync(scope, scope.PreviewsContainer, $"{TestTokens.Clinic}/{patient}/"));
    }

    [Fact]
    public async Task A_poison_message_is_dead_lettered_while_uploads_keep_flowing()
    {
        var scope = fixture.Platform.Scope;
        await scope.Queue("catalog").SendMessageAsync("this is not a CloudEvent");
        var client = fixture.Platform.Client();
        var patient = Guid.NewGuid().ToString();

        var upload = await PlatformFixture.UploadAsync(client, patient, UploadForm.For("17", "clinical", JpegFixtures.Encode(TestImages.Png(240, 180), 240)));

        Assert.Equal(ImageStatus.Ready, (await PlatformFixture.WaitUntilReadyAsync(client, patient, upload.Items.Single().Id)).Status);
        var poison = scope.Queue("catalog-poison");
        var letters = await Eventually.ReturnsAsync(async () => (await poison.PeekMessagesAsync(32)).Value, l => l.Any(m => m.Body.ToString().Contains("unreadable", StringComparison.Ordinal)), "the poison message in the dead-letter queue");
        Assert.Contains(letters, m => m.Body.ToString().Contains("unreadable", StringComparison.Ordinal));
    }
}

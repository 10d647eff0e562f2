using Dental.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Messaging;
using Azure.Storage.Blobs.Models;
using Dental.Catalog.Api;
using Dental.Catalog.Erasure;
using Dental.Catalog.Retention;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Dental.IntegrationTests.Catalog;

public class CatalogTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private static string NewPatient() => Guid.NewGuid().ToString();

    private async Task<ImagePage> ListAsync(string patient, string query = "", string role = "clinician") =>
        (await fixture.Client(role).GetFromJsonAsync<ImagePage>($"/api/v1/patients/{patient}/images?{query}", JsonSerializerOptions.Web))!;

    private async Task<PatientSummary> SummaryAsync(string patient) =>
        (await fixture.Client().GetFromJsonAsync<PatientSummary>($"/api/v1/patients/{patient}/summary", JsonSerializerOptions.Web))!;

    [Fact]
    public async Task An_uploaded_image_is_listed_readable_and_counted_and_becomes_ready()
    {
        var patient = NewPatient();
        var image = await fixture.NewImageAsync(patient, "36", "xray", note: "caries?");
        await fixture.DeliverAsync(image);

        var listed = Assert.Single((await ListAsync(patient)).Items);
        Assert.Equal((image.ImageId, "36", "xray", ImageStatus.Processing, "caries?", "scan.jpg"), (listed.Id, listed.Tooth, listed.Type, listed.Status, listed.Note, listed.OriginalFileName));
        Assert.Equal($"originals/{image.BlobName}", listed.BlobPath);
        var summary = await SummaryAsync(patient);
        Assert.Equal(1, summary.Total);
        Assert.Equal(1, summary.Teeth["36"]["xray"]);

        await fixture.DeliverAsync(await fixture.PreviewsForAsync(image));
        var ready = await fixture.Client().GetFromJsonAsync<ImageResource>($"/api/v1/patients/{patient}/images/{image.ImageId}", JsonSerializerOptions.Web);
        Assert.Equal(ImageStatus.Ready, ready!.Status);
        Assert.Equal(200, ready.Previews!["small"].Width);
        Assert.Equal(400, ready.Previews["medium"].Width);
    }

    [Fact]
    public async Task A_clinics_recently_active_patients_come_newest_first_and_never_from_another_clinic()
    {
        var (first, second, third) = (NewPatient(), NewPatient(), NewPatient());
        var images = new List<ImageUploaded>();
        foreach (var patient in new[] { first, second, third })
        {
            var image = await fixture.NewImageAsync(patient);
            await fixture.DeliverAsync(image);
            images.Add(image);
        }

        var elsewhere = await fixture.NewImageAsync(NewPatient(), clinic: TestScope.OtherClinic);
        await fixture.DeliverAsync(elsewhere);
        // A delete is activity too; a repeated, older upload event is not.
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client().DeleteAsync($"/api/v1/patients/{first}/images/{images[0].ImageId}")).StatusCode);
        await fixture.DeliverAsync(images[1]);

        async Task<List<string>> RecentAsync(string clinic) =>
            [.. (await fixture.Client(clinic: clinic).GetFromJsonAsync<RecentPatients>("/api/v1/patients?count=50", JsonSerializerOptions.Web))!.Items.Select(p => p.PatientId)];

        var recent = await RecentAsync(TestTokens.Clinic);
        Assert.Equal([first, third, second], recent.Where(new[] { first, second, third }.Contains));
        Assert.DoesNotContain(elsewhere.PatientId, recent);
        Assert.Equal(elsewhere.PatientId, (await RecentAsync(TestScope.OtherClinic)).First());
        Assert.Single((await fixture.Client().GetFromJsonAsync<RecentPatients>("/api/v1/patients?count=1", JsonSerializerOptions.Web))!.Items);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Client().GetAsync("/api/v1/patients?count=51")).StatusCode);

        // An erased patient is no longer among them.
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Client("admin").DeleteAsync($"/api/v1/patients/{first}")).StatusCode);
        await Eventually.ReturnsAsync(() => RecentAsync(TestTokens.Clinic), recent => !recent.Contains(first), "the erased patient to leave the recent patients");
    }

    [Fact]
    public async Task Duplicate_events_change_nothing_and_counters_stay_exact()
    {
        var patient = NewPatient();
        var first = await fixture.NewImageAsync(patient, "11", "before");
        var second = await fixture.NewImageAsync(patient, "11", "before");
        var previews = await fixture.PreviewsForAsync(first);
        foreach (var _ in Enumerable.Range(0, 3))
        {
            await fixture.DeliverAsync(first);
            await fixture.DeliverAsync(second);
            await fixture.DeliverAsync(previews);
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.DeliverAsync(first)));

        Assert.Equal(2, (await ListAsync(patient)).Items.Count);
        var summary = await SummaryAsync(patient);
        Assert.Equal(2, summary.Total);
        Assert.Equal(2, summary.Teeth["11"]["before"]);
    }

    [Fact]
    public async Task A_version_this_replica_remembers_but_another_replica_replaced_costs_a_refused_write_never_a_lost_update()
    {
        var patient = new PatientKey(TestTokens.Clinic, NewPatient());
        var image = await fixture.NewImageAsync(patient.PatientId);
        var id = image.ImageId.ToString("D");
        await fixture.DeliverAsync(image);
        // A second Catalog replica (its own store, the same container) makes the large preview while this one still holds the version it wrote.
        using var otherReplica = new DocumentStore(fixture.Factory.Services.GetRequiredService<Microsoft.Azure.Cosmos.Container>(), new DocumentSizeGuard(DocumentSizeGuard.DefaultBudgetBytes));
        var large = new PreviewInfo(image.PreviewName(PreviewSize.Large), 1600, 1200, 90_000);
        await otherReplica.UpdateImageAsync(patient, id, d => ImageDocumentReducer.Apply(d, new LargePreviewReady(image.ImageId, image.ClinicId, image.PatientId, large, image.BlobName, DateTimeOffset.UtcNow)), default);

        await fixture.DeliverAsync(await fixture.PreviewsForAsync(image));
        await fixture.DeliverAsync(image);

        var stored = (await otherReplica.ReadAsync<ImageDocument>(patient, id, default))!;
        Assert.Equal("ready", stored.Status);
        Assert.Equal([PreviewSize.Large, PreviewSize.Medium, PreviewSize.Small], stored.Previews!.Keys.Order());
        Assert.Equal("scan.jpg", stored.Text!.OriginalFileName);
    }

    [Fact]
    public async Task Previews_ready_before_the_upload_event_is_kept_and_status_never_regresses()
    {
        var patient = NewPatient();
        var image = await fixture.NewImageAsync(patient, "21", "after");
        await fixture.DeliverAsync(await fixture.PreviewsForAsync(image));
        Assert.Empty((await ListAsync(patient)).Items);
        Assert.Equal(0, (await SummaryAsync(patient)).Total);

        await fixture.DeliverAsync(image);
        await fixture.DeliverAsync(new ImageRejected(image.ImageId, image.ClinicId, patient, image.BlobName, RejectionReason.Corrupt, "late", DateTimeOffset.UtcNow));

        var listed = Assert.Single((await ListAsync(patient)).Items);
        Assert.Equal(ImageStatus.Ready, listed.Status);
        Assert.NotNull(listed.Previews);
        Assert.Equal(1, (await SummaryAsync(patient)).Total);
    }

    [Fact]
    public async Task A_large_preview_whose_original_is_gone_is_handed_back_to_the_thumbnailer_and_one_that_comes_early_is_kept()
    {
        var patient = NewPatient();
        var (early, orphaned) = (await fixture.NewImageAsync(patient, "11"), await fixture.NewImageAsync(patient, "12"));
        async Task<LargePreviewReady> LargeAsync(ImageUploaded image)
        {
            var name = image.PreviewName(PreviewSize.Large);
            var bytes = TestImages.JpegLike(1600, 1200, 4096, seed: 16);
            await fixture.Previews.GetBlobClient(name).UploadAsync(new BinaryData(bytes), overwrite: true);
            return new LargePreviewReady(image.ImageId, image.ClinicId, image.PatientId, new PreviewInfo(name, 1600, 1200, bytes.Length), image.BlobName, DateTimeOffset.UtcNow);
        }

        // The second image moved away (or was purged) before its large preview was announced: its original is gone.
        var (earlyLarge, orphanedLarge) = (await LargeAsync(early), await LargeAsync(orphaned));
        await fixture.Originals.DeleteBlobAsync(orphaned.BlobName);
        await fixture.DeliverAsync(earlyLarge);
        await fixture.DeliverAsync(orphanedLarge);
        await fixture.DeliverAsync(early);
        await fixture.DeliverAsync(await fixture.PreviewsForAsync(early));

        var listed = Assert.Single((await ListAsync(patient)).Items);
        Assert.Equal(early.ImageId, listed.Id);
        Assert.Equal(["large", "medium", "small"], listed.Previews!.Keys.Order());
        Assert.Null(await fixture.Factory.Services.GetRequiredService<DocumentStore>().ReadAsync<ImageDocument>(orphaned.Patient, orphaned.ImageId.ToString("D"), CancellationToken.None));
        var asked = (await fixture.Scope.Queue("thumbnailer", Topics.Patients).PeekMessagesAsync(32)).Value.Select(m => CloudEvent.Parse(m.Body)!)
            .Where(e => e.Type == LargePreviewOrphaned.EventType).Select(e => e.DataAs<LargePreviewOrphaned>()).Where(o => o.PatientId == patient);
        Assert.Equal(LargePreviewOrphaned.Of(orphanedLarge), Assert.Single(asked));
    }

    [Fact]
    public async Task A_rejected_image_is_failed_with_its_reason()
    {
        var patient = NewPatient();
        var image = await fixture.NewImageAsync(patient, "full", "xray");
        await fixture.DeliverAsync(image);
        await fixture.DeliverAsync(new ImageRejected(image.ImageId, image.ClinicId, patient, image.BlobName, RejectionReason.Corrupt, "truncated JPEG", DateTimeOffset.UtcNow));

        var listed = Assert.Single((await ListAsync(patient, "tooth=full")).Items);
        Assert.Equal(ImageStatus.Failed, listed.Status);
        Assert.Contains("truncated JPEG", listed.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_summary_is_what_the_documents_say_and_its_etag_answers_304_until_it_changes()
    {
        var patient = NewPatient();
        var images = new List<ImageUploaded>();
        foreach (var (tooth, type) in new[] { ("46", "clinical"), ("46", "clinical"), ("46", "xray"), ("21", "before") })
        {
            images.Add(await fixture.NewImageAsync(patient, tooth, type));
            await fixture.DeliverAsync(images[^1]);
        }

        await fixture.DeliverAsync(await fixture.PreviewsForAsync(images[0]));
        await fixture.Client().DeleteAsync($"/api/v1/patients/{patient}/images/{images[3].ImageId}");
        var first = await fixture.Client().GetAsync($"/api/v1/patients/{patient}/summary");
        var summary = (await first.Content.ReadFromJsonAsync<PatientSummary>(JsonSerializerOptions.Web))!;
        Assert.Equal(3, summary.Total);
        Assert.Equal((2, 1), (summary.Teeth["46"]["clinical"], summary.Teeth["46"]["xray"]));
        Assert.False(summary.Teeth.ContainsKey("21"));
        Assert.Equal(images[2].UploadedAt, summary.LastUploadAt);

        var etag = first.Headers.ETag!;
        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/patients/{patient}/summary") { Headers = { IfNoneMatch = { etag } } };
        Assert.Equal(HttpStatusCode.NotModified, (await fixture.Client().SendAsync(again)).StatusCode);

        await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images/{images[3].ImageId}/restore", null);
        var changed = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/patients/{patient}/summary") { Headers = { IfNoneMatch = { etag } } };
        var response = await fixture.Client().SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, (await response.Content.ReadFromJsonAsync<PatientSummary>(JsonSerializerOptions.Web))!.Total);
    }

    [Fact]
    public async Task Paging_through_250_images_returns_each_exactly_once_newest_first()
    {
        var patient = NewPatient();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var images = await Task.WhenAll(Enumerable.Range(0, 250).Select(i => fixture.NewImageAsync(patient, "q1", "clinical", takenAt: start.AddMinutes(i % 200))));
        foreach (var chunk in images.Chunk(25))
        {
            await Task.WhenAll(chunk.Select(fixture.DeliverAsync));
        }

        var seen = new List<ImageResource>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await ListAsync(patient, "pageSize=20" + (token is null ? "" : $"&continuationToken={token}"));
            Assert.True(page.Items.Count <= 20);
            seen.AddRange(page.Items);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 30);

        Assert.Equal(250, seen.Count);
        Assert.Equal(250, seen.Select(i => i.Id).Distinct().Count());
        var order = seen.Select(i => (i.TakenAt!.Value, i.Id)).ToList();
        Assert.Equal(order.OrderByDescending(o => o.Value).ThenByDescending(o => o.Id.ToString()).ToList(), order);
        Assert.Equal(250, (await SummaryAsync(patient)).Total);
    }

    [Fact]
    public async Task Filters_by_tooth_type_and_date_range()
    {
        var patient = NewPatient();
        var day = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        await fixture.DeliverAsync(await fixture.NewImageAsync(patient, "11", "xray", takenAt: day));
        await fixture.DeliverAsync(await fixture.NewImageAsync(patient, "11", "before", takenAt: day.AddDays(1)));
        await fixture.DeliverAsync(await fixture.NewImageAsync(patient, "12", "xray", takenAt: day.AddDays(2)));

        Assert.Equal(2, (await ListAsync(patient, "tooth=11")).Items.Count);
        Assert.Equal(2, (await ListAsync(patient, "type=xray")).Items.Count);
        Assert.Single((await ListAsync(patient, "tooth=11&type=xray")).Items);
        // The same teeth in Universal notation (FDI 11 is Universal 8, FDI 12 is 7); each answer gives both.
        var universal = await ListAsync(patient, "tooth=8&notation=universal");
        Assert.Equal(2, universal.Items.Count);
        Assert.All(universal.Items, i => Assert.Equal(("11", "11", "fdi"), (i.Tooth, i.EnteredTooth, i.Notation)));
        Assert.Single((await ListAsync(patient, "tooth=7&notation=UNIVERSAL")).Items);
        var range = await ListAsync(patient, $"from={Uri.EscapeDataString(day.AddHours(1).ToString("O"))}&to={Uri.EscapeDataString(day.AddDays(2).ToString("O"))}");
        Assert.Equal("before", Assert.Single(range.Items).Type);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("tooth=19", "tooth")]
    [InlineData("type=selfie", "type")]
    [InlineData("tooth=33&notation=universal", "tooth")]
    [InlineData("tooth=11&notation=palmer", "notation")]
    [InlineData("tag=0123456789012345678901234567890123", "tag")]
    [InlineData("continuationToken=%25%25", "continuationToken")]
    public async Task Bad_query_parameters_are_400_naming_the_field(string query, string field)
    {
        var response = await fixture.Client().GetAsync($"/api/v1/patients/{NewPatient()}/images?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task With_content_links_on_content_answers_302_to_a_read_only_link_cached_for_less_than_it_lives()
    {
        var settings = fixture.Scope.ServiceSettings();
        settings["Catalog:ContentSasMinutes"] = "10";
        await using var linking = new Dental.Testing.ServiceFactory<Dental.Catalog.CatalogOptions>(settings);
        var client = linking.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Dental.Testing.TestTokens.For("clinician"));
        var patient = NewPatient();
        var bytes = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();
        var image = await fixture.NewImageAsync(patient, bytes: bytes);
        await fixture.DeliverAsync(image);

        var response = await client.GetAsync($"/api/v1/patients/{patient}/images/{image.ImageId}/content");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var link = response.Headers.Location!;
        var query = System.Web.HttpUtility.ParseQueryString(link.Query);
        Assert.Equal("r", query["sp"]);
        var expires = DateTimeOffset.Parse(query["se"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10.5));
        Assert.True(response.Headers.CacheControl is { Private: true, MaxAge: { } maxAge } && maxAge <= TimeSpan.FromMinutes(5), response.Headers.CacheControl?.ToString());
        using var anyone = new HttpClient();
        Assert.Equal(bytes, await anyone.GetByteArrayAsync(link));
        using var write = new HttpRequestMessage(HttpMethod.Delete, link);
        Assert.Equal(HttpStatusCode.Forbidden, (await anyone.SendAsync(write)).StatusCode);
    }

    [Fact]
    public async Task Content_is_streamed_with_etag_304_and_ranges_and_previews_404_until_ready()
    {
        var patient = NewPatient();
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        bytes[0] = 0xFF;
        var image = await fixture.NewImageAsync(patient, bytes: bytes);
        await fixture.DeliverAsync(image);
        var client = fixture.Client();
        var path = $"/api/v1/patients/{patient}/images/{image.ImageId}";

        var content = await client.GetAsync(path + "/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal(bytes, await content.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/jpeg", content.Content.Headers.ContentType!.MediaType);
        Assert.Contains("private", content.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var etag = content.Headers.ETag!;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, path + "/content");
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, path + "/content");
        ranged.Headers.Range = new RangeHeaderValue(100, 199);
        var partial = await client.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes[100..200], await partial.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path + "/previews/small")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(path + "/previews/huge")).StatusCode);
        await fixture.DeliverAsync(await fixture.PreviewsForAsync(image));
        var preview = await client.GetAsync(path + "/previews/medium");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var previewBytes = await preview.Content.ReadAsByteArrayAsync();
        Assert.Equal(0xFF, previewBytes[0]);
        Assert.Equal(previewBytes.Length, preview.Content.Headers.ContentLength);
        Assert.Equal("image/jpeg", preview.Content.Headers.ContentType!.MediaType);
        Assert.NotEqual(etag, preview.Headers.ETag);
        using var previewConditional = new HttpRequestMessage(HttpMethod.Get, path + "/previews/medium");
        previewConditional.Headers.IfNoneMatch.Add(preview.Headers.ETag!);
        var notModified = await client.SendAsync(previewConditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(preview.Headers.ETag, notModified.Headers.ETag);
        // Another size's ETag is not this one's.
        using var otherSize = new HttpRequestMessage(HttpMethod.Get, path + "/previews/small");
        otherSize.Headers.IfNoneMatch.Add(preview.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(otherSize)).StatusCode);
    }

    [Fact]
    public async Task Soft_delete_hides_and_uncounts_restore_brings_back_and_admins_may_list_deleted()
    {
        var patient = NewPatient();
        var image = await fixture.NewImageAsync(patient, "31", "xray");
        await fixture.DeliverAsync(image);
        var path = $"/api/v1/patients/{patient}/images/{image.ImageId}";

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client().DeleteAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client().DeleteAsync(path)).StatusCode);
        Assert.Empty((await ListAsync(patient)).Items);
        Assert.Equal(0, (await SummaryAsync(patient)).Total);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client().GetAsync(path + "/content")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client().GetAsync($"/api/v1/patients/{patient}/images?includeDeleted=true")).StatusCode);
        Assert.Equal(ImageStatus.Deleted, Assert.Single((await ListAsync(patient, "includeDeleted=true", "admin")).Items).Status);

        var restored = await fixture.Client().PostAsync(path + "/restore", null);
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal(ImageStatus.Processing, Assert.Single((await ListAsync(patient)).Items).Status);
        Assert.Equal(1, (await SummaryAsync(patient)).Total);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client().DeleteAsync($"/api/v1/patients/{patient}/images/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task The_size_guard_refuses_an_oversized_document_before_cosmos_does()
    {
        var patient = NewPatient();
        // No field of an upload can grow this large today; the guard stands for what later fields may carry.
        var image = await fixture.NewImageAsync(patient) with { UploadedBy = new string('u', 17000) };

        var error = await Assert.ThrowsAsync<PermanentEventFailureException>(() => fixture.DeliverAsync(image));

        Assert.Contains("document-too-large", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client().GetAsync($"/api/v1/patients/{patient}/images/{image.ImageId}")).StatusCode);
    }

    [Fact]
    public async Task Erasure_sets_the_tombstone_erases_the_catalogs_part_announces_it_and_completes_the_receipt_with_every_services_report()
    {
        var (patient, other) = (NewPatient(), NewPatient());
        var images = new Dictionary<string, ImageUploaded>();
        foreach (var p in new[] { patient, other })
        {
            images[p] = await fixture.NewImageAsync(p, "48", "xray");
            await fixture.DeliverAsync(images[p]);
            await fixture.DeliverAsync(await fixture.PreviewsForAsync(images[p]));
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client().DeleteAsync($"/api/v1/patients/{patient}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client("admin").GetAsync($"/api/v1/patients/{patient}/erasure")).StatusCode);
        var erased = await fixture.Client("admin").DeleteAsync($"/api/v1/patients/{patient}");

        Assert.Equal(HttpStatusCode.Accepted, erased.StatusCode);
        Assert.Equal($"/api/v1/patients/{patient}/erasure", erased.Headers.Location?.OriginalString);
        var started = (await erased.Content.ReadFromJsonAsync<ErasureReceipt>(JsonSerializerOptions.Web))!;
        Assert.Equal((ErasureReceipt.Erasing, "test-user"), (started.Status, started.RequestedBy));

        // The Catalog's own part: the image's document and the patient's entry among the clinic's recent patients.
        var receipt = await Eventually.ReturnsAsync(() => ReceiptAsync(patient), r => r.Owners.ContainsKey("catalog"), "the catalog's part of the erasure");
        Assert.Equal(2, receipt.Owners["catalog"].Removed["documents"]);
        Assert.Equal(["upload", "thumbnailer"], receipt.Pending);
        Assert.Empty((await ListAsync(patient, "includeDeleted=true", "admin")).Items);
        Assert.Equal(0, (await SummaryAsync(patient)).Total);
        Assert.Equal(1, (await SummaryAsync(other)).Total);

        // The services that own the blobs and records hear of it (here nobody plays them yet: their queues hold it).
        foreach (var owner in new[] { "upload", "thumbnailer" })
        {
            var announced = (await fixture.Scope.Queue(owner, Topics.Patients).PeekMessagesAsync(32)).Value
                .Select(m => CloudEvent.Parse(m.Body)!).Where(e => e.Type == PatientErased.EventType && e.DataAs<PatientErased>().PatientId == patient).ToList();
            Assert.Equal(TestTokens.Clinic, Assert.Single(announced).DataAs<PatientErased>().ClinicId);
        }

        // A late event about the erased patient does not bring a document back.
        await fixture.DeliverAsync(await fixture.NewImageAsync(patient, "11", "xray"));
        Assert.Empty((await ListAsync(patient, "includeDeleted=true", "admin")).Items);

        // As the owners would: each reports (one of them twice: a redelivery counts once).
        var publisher = fixture.Factory.Services.GetRequiredService<IEventPublisher>();
        async Task ReportAsync(string owner, string id, Dictionary<string, int> removed) => await publisher.PublishAsync(
            Topics.Patients, ErasureReported.EventType, id, EventSubjects.Patient(patient),
            new ErasureReported(TestTokens.Clinic, patient, owner, removed, DateTimeOffset.UtcNow), CancellationToken.None);
        await ReportAsync("upload", "report-upload", new() { ["originals"] = 1, ["uploadRecords"] = 3 });
        await ReportAsync("upload", "report-upload", new() { ["originals"] = 1, ["uploadRecords"] = 3 });
        await ReportAsync("thumbnailer", "report-thumbnailer", new() { ["previews"] = 2 });
        var done = await Eventually.ReturnsAsync(() => ReceiptAsync(patient), r => r.Status == ErasureReceipt.Completed, "the receipt to complete");
        Assert.Equal((1, 3, 2, 2), (done.Removed["originals"], done.Removed["uploadRecords"], done.Removed["previews"], done.Removed["documents"]));
        Assert.Empty(done.Pending);
        Assert.NotNull(done.CompletedAt);

        // Asking again answers the final receipt and announces nothing more.
        var again = await fixture.Client("admin").DeleteAsync($"/api/v1/patients/{patient}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(ErasureReceipt.Completed, (await again.Content.ReadFromJsonAsync<ErasureReceipt>(JsonSerializerOptions.Web))!.Status);
        Assert.Single((await fixture.Scope.Queue("upload", Topics.Patients).PeekMessagesAsync(32)).Value, m => CloudEvent.Parse(m.Body)!.Type == PatientErased.EventType
            && CloudEvent.Parse(m.Body)!.DataAs<PatientErased>().PatientId == patient);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client().GetAsync($"/api/v1/patients/{patient}/erasure")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client("auditor").GetAsync($"/api/v1/patients/{patient}/erasure")).StatusCode);
    }

    [Fact]
    public async Task Retention_purges_an_image_deleted_longer_than_the_period_ago_audits_it_and_tells_the_owners_and_spares_the_rest()
    {
        var patient = NewPatient();
        var (deleted, recent, kept) = (await fixture.NewImageAsync(patient, "11"), await fixture.NewImageAsync(patient, "12"), await fixture.NewImageAsync(patient, "13"));
        foreach (var image in new[] { deleted, recent, kept })
        {
            await fixture.DeliverAsync(image);
            await fixture.DeliverAsync(await fixture.PreviewsForAsync(image));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client().DeleteAsync($"/api/v1/patients/{patient}/images/{deleted.ImageId}")).StatusCode);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromDays(29));
        var purge = ActivatorUtilities.CreateInstance<DeletedImagePurge>(fixture.Factory.Services, (TimeProvider)clock);
        await purge.PurgeAsync(CancellationToken.None);
        Assert.Equal(ImageStatus.Deleted, (await fixture.Client().GetFromJsonAsync<ImageResource>($"/api/v1/patients/{patient}/images/{deleted.ImageId}", JsonSerializerOptions.Web))!.Status);

        // Another image deleted just now (by the same clock) is not due; the first one, deleted 31 days before, is.
        clock.Advance(TimeSpan.FromDays(2));
        await fixture.Factory.Services.GetRequiredService<DocumentStore>().UpdateImageAsync(
            recent.Patient, recent.ImageId.ToString("D"), d => ImageDocumentReducer.Delete(d!, clock.GetUtcNow()), CancellationToken.None);
        Assert.True(await purge.PurgeAsync(CancellationToken.None) >= 1);

        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client().GetAsync($"/api/v1/patients/{patient}/images/{deleted.ImageId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images/{deleted.ImageId}/restore", null)).StatusCode);
        // Late events about its previews, once the Thumbnailer removed them as told, bring no document back.
        var late = await fixture.PreviewsForAsync(deleted);
        foreach (var preview in late.Previews.Values)
        {
            await fixture.Previews.DeleteBlobAsync(preview.BlobName);
        }

        await fixture.DeliverAsync(late);
        await fixture.DeliverAsync(new LargePreviewReady(deleted.ImageId, deleted.ClinicId, patient, late.Previews[PreviewSize.Medium] with { BlobName = deleted.PreviewName(PreviewSize.Large) },
            deleted.BlobName, DateTimeOffset.UtcNow));
        Assert.Null(await fixture.Factory.Services.GetRequiredService<DocumentStore>().ReadAsync<ImageDocument>(deleted.Patient, deleted.ImageId.ToString("D"), CancellationToken.None));
        Assert.Equal(new[] { kept.ImageId, recent.ImageId }.Order(), (await ListAsync(patient, "includeDeleted=true", "admin")).Items.Select(i => i.Id).Order());
        // The owners of the blobs are told (no Upload service or Thumbnailer runs here: their queues hold it).
        foreach (var owner in new[] { "upload", "thumbnailer" })
        {
            var told = (await fixture.Scope.Queue(owner, Topics.Patients).PeekMessagesAsync(32)).Value.Select(m => CloudEvent.Parse(m.Body)!)
                .Where(e => e.Type == ImagePurged.EventType).Select(e => e.DataAs<ImagePurged>()).Where(p => p.ImageId == deleted.ImageId);
            Assert.Equal((deleted.BlobName, deleted.Sha256, "11"), Assert.Single(told) is var p ? (p.BlobName, p.Sha256, p.Tooth) : default);
        }

        var record = Assert.Single(await fixture.Scope.AuditRecordsAsync(), r => r.Action == "image.retention-purge" && r.ImageIds.Contains(deleted.ImageId.ToString("D")));
        Assert.Equal(("data_retention_purge", DeletedImagePurge.Actor, patient, TestTokens.Clinic), (record.EventType, record.Actor, record.PatientId, record.ClinicId));
        // 29 days after the second deletion, that image is still there to restore.
        await ActivatorUtilities.CreateInstance<DeletedImagePurge>(fixture.Factory.Services, (TimeProvider)new Microsoft.Extensions.Time.Testing.FakeTimeProvider(clock.GetUtcNow() + TimeSpan.FromDays(29)))
            .PurgeAsync(CancellationToken.None);
        var restored = await fixture.Client().PostAsync($"/api/v1/patients/{patient}/images/{recent.ImageId}/restore", null);
        Assert.Equal(ImageStatus.Ready, (await restored.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web))!.Status);
    }

    [Fact]
    public async Task An_export_round_trips_every_original_preview_and_metadata_byte_identical_with_its_manifest()
    {
        var patient = NewPatient();
        var images = new List<ImageUploaded>();
        for (var i = 0; i < 3; i++)
        {
            var image = await fixture.NewImageAsync(patient, $"1{i + 1}", note: "note about the patient", bytes: TestImages.JpegLike(800, 600, 50_000 + i, seed: i));
            await fixture.DeliverAsync(image);
            if (i < 2)
            {
                await fixture.DeliverAsync(await fixture.PreviewsForAsync(image));
            }

            images.Add(image);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client().DeleteAsync($"/api/v1/patients/{patient}/images/{images[1].ImageId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client("auditor").GetAsync($"/api/v1/patients/{patient}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client(clinic: TestScope.OtherClinic).GetAsync($"/api/v1/patients/{patient}/export")).StatusCode);

        var response = await fixture.Client().GetAsync($"/api/v1/patients/{patient}/export", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"patient-{patient}.zip", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var manifest = JsonSerializer.Deserialize<Dental.Catalog.Export.ExportManifest>(zip.GetEntry("manifest.json")!.Open(), JsonSerializerOptions.Web)!;
        Assert.Equal((patient, 3, "test-user"), (manifest.PatientId, manifest.Images, manifest.ExportedBy));
        // Every file is in the manifest with its hash and size, and nothing else is in the zip.
        Assert.Equal(zip.Entries.Select(e => e.FullName).Where(n => n != "manifest.json").Order(), manifest.Files.Select(f => f.Path).Order());
        foreach (var file in manifest.Files)
        {
            using var bytes = new MemoryStream();
            await zip.GetEntry(file.Path)!.Open().CopyToAsync(bytes);
            Assert.Equal((file.Sha256, file.SizeBytes), (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.ToArray())), bytes.Length));
        }

        foreach (var image in images)
        {
            var folder = $"images/{image.ImageId:D}/";
            using var original = new MemoryStream();
            await zip.GetEntry(folder + "original.jpg")!.Open().CopyToAsync(original);
            Assert.Equal((await fixture.Originals.GetBlobClient(image.BlobName).DownloadContentAsync()).Value.Content.ToArray(), original.ToArray());
            var metadata = JsonSerializer.Deserialize<ImageResource>(zip.GetEntry(folder + "metadata.json")!.Open(), JsonSerializerOptions.Web)!;
            Assert.Equal((image.ImageId, image.Sha256, "note about the patient"), (metadata.Id, metadata.Sha256, metadata.Note));
        }

        Assert.Equal(ImageStatus.Deleted, JsonSerializer.Deserialize<ImageResource>(zip.GetEntry($"images/{images[1].ImageId:D}/metadata.json")!.Open(), JsonSerializerOptions.Web)!.Status);
        Assert.Equal(2, zip.Entries.Count(e => e.FullName.StartsWith($"images/{images[0].ImageId:D}/previews/", StringComparison.Ordinal)));
        Assert.DoesNotContain(zip.Entries, e => e.FullName.StartsWith($"images/{images[2].ImageId:D}/previews/", StringComparison.Ordinal));
        var preview = new MemoryStream();
        await zip.GetEntry($"images/{images[0].ImageId:D}/previews/small.jpg")!.Open().CopyToAsync(preview);
        Assert.Equal((await fixture.Previews.GetBlobClient(BlobNames.Preview(images[0].Patient, "11", "xray", images[0].ImageId, "small")).DownloadContentAsync()).Value.Content.ToArray(), preview.ToArray());
        Assert.Contains(await fixture.Scope.AuditRecordsAsync(), r => r.Action == "patient.export" && r.PatientId == patient && r.Outcome == 200);
    }

    private async Task<ErasureReceipt> ReceiptAsync(string patient) =>
        (await fixture.Client("admin").GetFromJsonAsync<ErasureReceipt>($"/api/v1/patients/{patient}/erasure", JsonSerializerOptions.Web))!;

    [Fact]
    public async Task The_same_patient_id_in_two_clinics_is_two_patients_and_neither_clinic_sees_the_other()
    {
        var patient = NewPatient();
        var ours = await fixture.NewImageAsync(patient, "11", "xray");
        var theirs = await fixture.NewImageAsync(patient, "21", "before", clinic: TestScope.OtherClinic);
        foreach (var image in new[] { ours, theirs })
        {
            await fixture.DeliverAsync(image);
            await fixture.DeliverAsync(await fixture.PreviewsForAsync(image));
        }

        var other = fixture.Client(clinic: TestScope.OtherClinic);
        Assert.Equal(ours.ImageId, Assert.Single((await ListAsync(patient)).Items).Id);
        Assert.Equal(theirs.ImageId, Assert.Single((await other.GetFromJsonAsync<ImagePage>($"/api/v1/patients/{patient}/images", JsonSerializerOptions.Web))!.Items).Id);
        Assert.Equal((1, 1), ((await SummaryAsync(patient)).Teeth["11"]["xray"], (await other.GetFromJsonAsync<PatientSummary>($"/api/v1/patients/{patient}/summary", JsonSerializerOptions.Web))!.Teeth["21"]["before"]));
        Assert.StartsWith($"originals/{TestTokens.Clinic}/{patient}/", Assert.Single((await ListAsync(patient)).Items).BlobPath, StringComparison.Ordinal);

        // Another clinic's image is not found (never forbidden: its existence must not show), whatever the route.
        var path = $"/api/v1/patients/{patient}/images/{ours.ImageId}";
        foreach (var request in new Func<Task<HttpResponseMessage>>[]
        {
            () => other.GetAsync(path), () => other.GetAsync(path + "/content"), () => other.GetAsync(path + "/previews/small"),
            () => other.DeleteAsync(path), () => other.PostAsync(path + "/restore", null),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await request()).StatusCode);
        }

        // Erasing the patient in one clinic leaves the other clinic's patient of the same id untouched.
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Client("admin", TestScope.OtherClinic).DeleteAsync($"/api/v1/patients/{patient}")).StatusCode);
        await Eventually.ReturnsAsync(() => other.GetFromJsonAsync<ImagePage>($"/api/v1/patients/{patient}/images", JsonSerializerOptions.Web), page => page!.Items.Count == 0,
            "the other clinic's patient to be erased");
        Assert.Equal(ImageStatus.Ready, Assert.Single((await ListAsync(patient)).Items).Status);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client().GetAsync(path + "/content")).StatusCode);
    }

    [Fact]
    public async Task An_auditor_reads_metadata_without_free_text_and_never_bytes_while_an_integration_reads_all()
    {
        var patient = NewPatient();
        var image = await fixture.NewImageAsync(patient, note: "suspected caries");
        await fixture.DeliverAsync(image);
        await fixture.DeliverAsync(await fixture.PreviewsForAsync(image));
        var path = $"/api/v1/patients/{patient}/images/{image.ImageId}";

        var audited = (await fixture.Client("auditor").GetFromJsonAsync<ImageResource>(path, JsonSerializerOptions.Web))!;
        Assert.Equal((image.ImageId, image.Sha256, (string?)null, (string?)null), (audited.Id, audited.Sha256, audited.Note, audited.OriginalFileName));
        Assert.Null(Assert.Single((await ListAsync(patient, role: "auditor")).Items).Note);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client("auditor").GetAsync(path + "/content")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client("auditor").GetAsync(path + "/previews/small")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client("auditor").DeleteAsync(path)).StatusCode);

        var integration = (await fixture.Client("service").GetFromJsonAsync<ImageResource>(path, JsonSerializerOptions.Web))!;
        Assert.Equal(("suspected caries", "scan.jpg"), (integration.Note, integration.OriginalFileName));
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client("service").GetAsync(path + "/content")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Client("service").DeleteAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Factory.CreateClient().GetAsync(path)).StatusCode);
    }

    private static async Task<List<string>> NamesAsync(Azure.Storage.Blobs.BlobContainerClient container, string patient, string clinic = TestTokens.Clinic)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{clinic}/{patient}/" }))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}

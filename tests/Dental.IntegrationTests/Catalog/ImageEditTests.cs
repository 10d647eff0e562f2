using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Messaging;
using Dental.AzureClients;
using Dental.Catalog.Api;
using Dental.Catalog.Corrections;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dental.IntegrationTests.Catalog;

/// <summary>Edits of an image's record through the Catalog (real Cosmos emulator and Azurite): merge patches, ETags, tags, history, corrections asked of the owners.</summary>
public class ImageEditTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private static string NewPatient() => Guid.NewGuid().ToString();

    private async Task<ImageUploaded> ReadyImageAsync(string patient, string tooth = "11", string type = "xray") => (await ReadyImageWithPreviewsAsync(patient, tooth, type)).Image;

    private async Task<(ImageUploaded Image, PreviewsReady Previews)> ReadyImageWithPreviewsAsync(string patient, string tooth = "11", string type = "xray")
    {
        var image = await fixture.NewImageAsync(patient, tooth, type);
        await fixture.DeliverAsync(image);
        var previews = await fixture.PreviewsForAsync(image);
        await fixture.DeliverAsync(previews);
        return (image, previews);
    }

    private async Task<(ImageResource Image, string ETag)> GetAsync(string patient, Guid imageId, string role = "clinician")
    {
        var response = await fixture.Client(role).GetAsync($"/api/v1/patients/{patient}/images/{imageId}");
        response.EnsureSuccessStatusCode();
        return ((await response.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web))!, ETagOf(response));
    }

    private Task<HttpResponseMessage> PatchAsync(string patient, Guid imageId, string json, string? etag, string role = "clinician")
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/patients/{patient}/images/{imageId}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/merge-patch+json"),
        };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return fixture.Client(role).SendAsync(request);
    }

    private static string ETagOf(HttpResponseMessage response) => response.Headers.ETag!.ToString();

    private static async Task<string?> FieldOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty("field", out var field) ? field.GetString() : null;

    [Fact]
    public async Task Tags_metadata_and_note_are_merged_kept_in_history_audited_and_filtered_on_in_one_partition()
    {
        var patient = NewPatient();
        var (image, other) = (await ReadyImageAsync(patient, "11"), await ReadyImageAsync(patient, "12"));
        var (_, etag) = await GetAsync(patient, image.ImageId);

        var edited = await PatchAsync(patient, image.ImageId, """{"tags":["Caries","follow-up","caries"],"metadata":{"model":"seg-v2","score":"0.91"},"note":"recheck in 6 months"}""", etag);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var body = (await edited.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web))!;
        Assert.Equal(["caries", "follow-up"], body.Tags);
        Assert.Equal(new Dictionary<string, string> { ["model"] = "seg-v2", ["score"] = "0.91" }, body.Metadata);
        Assert.Equal("recheck in 6 months", body.Note);
        Assert.NotEqual(etag, ETagOf(edited));
        // A merge: a key set to null goes, the others stay; tags replaced as a whole.
        var merged = await PatchAsync(patient, image.ImageId, """{"metadata":{"score":null},"tags":["caries"]}""", ETagOf(edited));
        var after = (await merged.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web))!;
        Assert.Equal(new Dictionary<string, string> { ["model"] = "seg-v2" }, after.Metadata);
        Assert.Equal(["caries"], after.Tags);
        var edit = (await PatchAsync(patient, other.ImageId, """{"tags":["caries","implant"]}""", (await GetAsync(patient, other.ImageId)).ETag));
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);

        // History: who, when, what; free text (note, metadata values) is not repeated in it.
        Assert.Equal(["tags", "metadata.model", "metadata.score", "note", "tags", "metadata.score"], after.History.Select(h => h.Field));
        Assert.All(after.History, h => Assert.Equal("test-user", h.By));
        Assert.Equal(("caries, follow-up", "caries"), (after.History[4].From, after.History[4].To));
        Assert.All(after.History.Where(h => h.Field != "tags"), h => Assert.Equal((null, null), (h.From, h.To)));

        // Every given tag must match; a filter is one single-partition query like the rest.
        var both = (await fixture.Client().GetFromJsonAsync<ImagePage>($"/api/v1/patients/{patient}/images?tag=caries&tag=implant", JsonSerializerOptions.Web))!;
        Assert.Equal(other.ImageId, Assert.Single(both.Items).Id);
        var caries = (await fixture.Client().GetFromJsonAsync<ImagePage>($"/api/v1/patients/{patient}/images?tag=CARIES", JsonSerializerOptions.Web))!;
        Assert.Equal(2, caries.Items.Count);
        var none = (await fixture.Client().GetFromJsonAsync<ImagePage>($"/api/v1/patients/{NewPatient()}/images?tag=caries", JsonSerializerOptions.Web))!;
        Assert.Empty(none.Items);

        // An auditor sees tags and history, not metadata or the note.
        var (audited, _) = await GetAsync(patient, image.ImageId, "auditor");
        Assert.Equal(["caries"], audited.Tags);
        Assert.Equal((null, null), (audited.Metadata, audited.Note));
        Assert.Equal(6, audited.History.Count);
        var records = await fixture.Scope.AuditRecordsAsync();
        Assert.Equal(2, records.Count(r => r.Action == "image.update" && r.EventType == "data_update" && r.ImageIds.Contains(image.ImageId.ToString("D"))));
    }

    [Fact]
    public async Task Of_two_edits_made_against_the_same_version_one_wins_and_the_other_is_412()
    {
        var patient = NewPatient();
        var image = await ReadyImageAsync(patient);
        var (_, etag) = await GetAsync(patient, image.ImageId);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => PatchAsync(patient, image.ImageId, $$"""{"tags":["edit-{{i}}"]}""", etag)));

        var won = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a != won), a => Assert.Equal(HttpStatusCode.PreconditionFailed, a.StatusCode));
        var (stored, _) = await GetAsync(patient, image.ImageId);
        Assert.Equal((await won.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web))!.Tags, stored.Tags);
        Assert.Single(stored.History);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PatchAsync(patient, image.ImageId, """{"tags":[]}""", etag)).StatusCode);
    }

    [Theory]
    [InlineData("""{"tags":["ok","Not Allowed"]}""", "tags")]
    [InlineData("""{"tags":"caries"}""", "tags")]
    [InlineData("""{"tags":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]}""", "tags")]
    [InlineData("""{"tags":["0123456789012345678901234567890123"]}""", "tags")]
    [InlineData("""{"metadata":{"score":0.9}}""", "metadata")]
    [InlineData("""{"metadata":{"bad key":"x"}}""", "metadata")]
    [InlineData("""{"metadata":"x"}""", "metadata")]
    [InlineData("""{"tooth":"19"}""", "tooth")]
    [InlineData("""{"tooth":"33","notation":"universal"}""", "tooth")]
    [InlineData("""{"tooth":"11","notation":"palmer"}""", "notation")]
    [InlineData("""{"notation":"universal"}""", "notation")]
    [InlineData("""{"type":"selfie"}""", "type")]
    [InlineData("""{"takenAt":"yesterday"}""", "takenAt")]
    [InlineData("""{"status":"ready"}""", "status")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""{"tags":""", "body")]
    public async Task A_patch_that_breaks_a_rule_is_400_naming_the_field_and_changes_nothing(string json, string field)
    {
        var patient = NewPatient();
        var image = await ReadyImageAsync(patient);
        var (before, etag) = await GetAsync(patient, image.ImageId);

        var response = await PatchAsync(patient, image.ImageId, json, etag);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, await FieldOf(response));
        var (after, etagAfter) = await GetAsync(patient, image.ImageId);
        Assert.Equal((etag, before.Tags.Count, before.History.Count), (etagAfter, after.Tags.Count, after.History.Count));
    }

    [Fact]
    public async Task An_edit_needs_if_match_json_a_role_that_edits_and_an_image_of_the_callers_clinic()
    {
        var patient = NewPatient();
        var image = await ReadyImageAsync(patient);
        var (_, etag) = await GetAsync(patient, image.ImageId);

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await PatchAsync(patient, image.ImageId, """{"tags":["x"]}""", null)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await PatchAsync(patient, image.ImageId, """{"tags":["x"]}""", "*")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(patient, image.ImageId, """{"tags":["x"]}""", etag, "auditor")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(patient, image.ImageId, """{"tags":["from-model"]}""", etag, "service")).StatusCode);
        var elsewhere = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/patients/{patient}/images/{image.ImageId}")
        {
            Content = new StringContent("""{"tags":["x"]}""", Encoding.UTF8, "application/merge-patch+json"),
        };
        elsewhere.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client("clinician", "clinic-b").SendAsync(elsewhere)).StatusCode);
        var text = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/patients/{patient}/images/{image.ImageId}") { Content = new StringContent("tags=x", Encoding.UTF8, "text/plain") };
        text.Headers.TryAddWithoutValidation("If-Match", etag);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await fixture.Client().SendAsync(text)).StatusCode);
    }

    [Fact]
    public async Task A_correction_shows_at_once_asks_the_owners_to_move_the_blobs_and_is_refused_while_processing_moving_or_deleted()
    {
        var patient = NewPatient();
        var processing = await fixture.NewImageAsync(patient, "11", "xray");
        await fixture.DeliverAsync(processing);
        var refused = await PatchAsync(patient, processing.ImageId, """{"tooth":"21"}""", (await GetAsync(patient, processing.ImageId)).ETag);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("processing", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Tags need no blob to move: allowed while processing.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(patient, processing.ImageId, """{"tags":["x"]}""", (await GetAsync(patient, processing.ImageId)).ETag)).StatusCode);

        var (image, previewsAtOldNames) = await ReadyImageWithPreviewsAsync(patient, "11", "xray");
        var corrected = await PatchAsync(patient, image.ImageId, """{"tooth":"9","notation":"universal","type":"before","takenAt":"2026-03-01T10:00:00+01:00"}""",
            (await GetAsync(patient, image.ImageId)).ETag);
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        var body = (await corrected.Content.ReadFromJsonAsync<ImageResource>(JsonSerializerOptions.Web))!;
        Assert.Equal(("21", "9", "universal", "before"), (body.Tooth, body.EnteredTooth, body.Notation, body.Type));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero), body.TakenAt);
        Assert.StartsWith($"originals/{TestTokens.Clinic}/{patient}/21/before/{image.ImageId}.", body.BlobPath, StringComparison.Ordinal);
        Assert.Equal([("tooth", "11", "21"), ("notation", "fdi", "universal"), ("type", "xray", "before"), ("takenAt", null, "2026-03-01T09:00:00.0000000+00:00")],
            body.History.Select(h => (h.Field, h.From, h.To)));
        // The chart and the filters follow at once; the bytes are still served from where they are until the owners move them.
        var summary = (await fixture.Client().GetFromJsonAsync<PatientSummary>($"/api/v1/patients/{patient}/summary", JsonSerializerOptions.Web))!;
        Assert.Equal(1, summary.Teeth["21"]["before"]);
        Assert.Equal(image.ImageId, Assert.Single((await fixture.Client().GetFromJsonAsync<ImagePage>($"/api/v1/patients/{patient}/images?tooth=9&notation=universal", JsonSerializerOptions.Web))!.Items).Id);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client().GetAsync($"/api/v1/patients/{patient}/images/{image.ImageId}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client().GetAsync($"/api/v1/patients/{patient}/images/{image.ImageId}/previews/small")).StatusCode);

        // The Upload service is asked (its queue holds the request); a second correction waits for the first.
        var asked = await RequestedCorrectionsAsync(image.ImageId);
        var request = Assert.Single(asked);
        Assert.Equal(("11", "xray", "21", "before", "universal"), (request.FromTooth, request.FromType, request.Tooth, request.Type, request.Notation));
        Assert.Equal(HttpStatusCode.Conflict, (await PatchAsync(patient, image.ImageId, """{"tooth":"22"}""", (await GetAsync(patient, image.ImageId)).ETag)).StatusCode);

        // The owners move the blobs (done here by hand, as they would) and report: the document takes the new names.
        foreach (var container in new[] { fixture.Originals, fixture.Previews })
        {
            await container.MoveAllUnderAsync(request.FromPrefix, request.ToPrefix, _ => { }, CancellationToken.None);
        }

        await fixture.DeliverAsync(request);
        var (moved, etag) = await GetAsync(patient, image.ImageId);
        Assert.Equal(body.BlobPath, moved.BlobPath);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client().GetAsync($"/api/v1/patients/{patient}/images/{image.ImageId}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client().GetAsync($"/api/v1/patients/{patient}/images/{image.ImageId}/previews/medium")).StatusCode);
        // Events about previews written before the move, delivered late: the document does not go back to their names.
        await fixture.DeliverAsync(previewsAtOldNames);
        await fixture.DeliverAsync(new LargePreviewReady(image.ImageId, image.ClinicId, patient,
            previewsAtOldNames.Previews[PreviewSize.Medium] with { BlobName = image.PreviewName(PreviewSize.Large) }, image.BlobName, DateTimeOffset.UtcNow));
        Assert.Equal(etag, (await GetAsync(patient, image.ImageId)).ETag);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client().GetAsync($"/api/v1/patients/{patient}/images/{image.ImageId}/previews/medium")).StatusCode);

        // Deleted: restore first.
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client().DeleteAsync($"/api/v1/patients/{patient}/images/{image.ImageId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PatchAsync(patient, image.ImageId, """{"type":"xray"}""", (await GetAsync(patient, image.ImageId)).ETag)).StatusCode);
        Assert.NotEqual(etag, (await GetAsync(patient, image.ImageId)).ETag);
    }

    [Fact]
    public async Task A_correction_whose_request_was_lost_is_asked_for_again_by_the_recheck()
    {
        var patient = NewPatient();
        var image = await ReadyImageAsync(patient, "11", "xray");
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(patient, image.ImageId, """{"type":"clinical"}""", (await GetAsync(patient, image.ImageId)).ETag)).StatusCode);
        var first = Assert.Single(await RequestedCorrectionsAsync(image.ImageId));
        // As if the request had never been published: drop it from the owner's queue.
        await DropRequestsAsync(image.ImageId);

        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(10));
        var recheck = ActivatorUtilities.CreateInstance<ImageCorrections>(fixture.Factory.Services, (TimeProvider)clock);
        Assert.True(await recheck.RecheckAsync(CancellationToken.None) >= 1);

        Assert.Equal(first, Assert.Single(await RequestedCorrectionsAsync(image.ImageId)));
    }

    private async Task<List<ImageCorrection>> RequestedCorrectionsAsync(Guid imageId) =>
        [.. (await fixture.Scope.Queue("upload", Topics.Patients).PeekMessagesAsync(32)).Value.Select(m => CloudEvent.Parse(m.Body)!)
            .Where(e => e.Type == ImageCorrection.Requested).Select(e => e.DataAs<ImageCorrection>()).Where(c => c.ImageId == imageId)];

    private async Task DropRequestsAsync(Guid imageId)
    {
        var queue = fixture.Scope.Queue("upload", Topics.Patients);
        foreach (var message in (await queue.ReceiveMessagesAsync(32)).Value)
        {
            if (CloudEvent.Parse(message.Body) is { Type: ImageCorrection.Requested } e && e.DataAs<ImageCorrection>().ImageId == imageId)
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }
}

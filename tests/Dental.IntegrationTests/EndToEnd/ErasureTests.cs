using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Messaging;
using Dental.Catalog.Erasure;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Messaging;
using Dental.Testing;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>Right to erasure across the whole platform: every store searched afterwards, services down or killed during it, late events after it.</summary>
public class ErasureTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task Erasing_a_patient_with_images_in_every_state_leaves_the_id_nowhere_but_the_tombstones_and_nothing_late_brings_them_back()
    {
        var platform = fixture.Platform;
        var (client, admin, scope) = (platform.Client(), platform.Client("admin"), platform.Scope);
        var (patient, other) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        var ready = await UploadAsync(client, patient, "11", Photo(1), note: "Allergic to latex");
        var deleted = await UploadAsync(client, patient, "21", Photo(2));
        var failed = await UploadAsync(client, patient, "31", TestImages.JpegLike(800, 600));
        var kept = await UploadAsync(client, other, "11", Photo(3));
        foreach (var (owner, image) in new[] { (patient, ready), (patient, deleted), (patient, failed), (other, kept) })
        {
            await PlatformFixture.WaitUntilReadyAsync(client, owner, image);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/patients/{patient}/images/{deleted}")).StatusCode);
        // A poison message about the patient: an event the Catalog can never read, dead-lettered by the real consumer.
        var poison = CloudEvents.Create("/tests", ImageUploaded.EventType, Guid.NewGuid().ToString(), EventSubjects.Patient(patient),
            new { clinicId = TestTokens.Clinic, patientId = patient, imageId = "not-a-guid" }, DateTimeOffset.UtcNow);
        await scope.Queue("catalog").SendMessageAsync(poison.ToBinary());
        await Eventually.ReturnsAsync(async () => (await scope.Queue("catalog-poison").PeekMessagesAsync(32)).Value.Count(m => PatientTraces.Readable(m.Body).Contains(patient, StringComparison.Ordinal)),
            n => n == 1, "the poison message to be dead-lettered");
        // One image still processing: the Thumbnailer is down (killed: Aspire's stop command on a resource it restarted before can fail), so
        // its ImageUploaded waits in the queue (kept to deliver late below).
        await platform.KillAsync("thumbnailer");
        var processing = await UploadAsync(client, patient, "41", Photo(4));
        var late = await Eventually.ReturnsAsync<BinaryData?>(
            async () => (await scope.Queue("thumbnailer").PeekMessagesAsync(32)).Value.Select(m => m.Body).FirstOrDefault(b => b.ToString().Contains(processing.ToString(), StringComparison.Ordinal)),
            body => body is not null, "the processing image's event in the thumbnailer's queue");

        await Eventually.ReturnsAsync(() => PlatformFixture.ListAsync(admin, patient, "includeDeleted=true"), page => page.Items.Count == 4, "the processing image to be catalogued");
        var erase = await admin.DeleteAsync($"/api/v1/patients/{patient}");

        Assert.Equal(HttpStatusCode.Accepted, erase.StatusCode);
        var receiptLink = erase.Headers.Location!.OriginalString;
        // The Upload service and the Catalog finish; the Thumbnailer's part waits for it to come back.
        var partial = await Eventually.ReturnsAsync(() => ReceiptAsync(admin, receiptLink), r => r.Pending.SequenceEqual(["thumbnailer"]), "all but the thumbnailer's part");
        Assert.Equal(ErasureReceipt.Erasing, partial.Status);
        Assert.Equal(HttpStatusCode.Gone, (await client.PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("11", "clinical", Photo(1)).Build())).StatusCode);
        await platform.StartAsync("thumbnailer");
        var receipt = await Eventually.ReturnsAsync(() => ReceiptAsync(admin, receiptLink), r => r.Status == ErasureReceipt.Completed, "the erasure to complete");
        // Four originals; small, medium and (if made by then) large of the ready and the deleted image (a failed image has none); four
        // documents and the recent-patients entry; the poison message; at least the dedupe markers of the four uploads.
        Assert.True((4, 5, 1) == (receipt.Removed["originals"], receipt.Removed["documents"], receipt.Removed["deadLetters"]), JsonSerializer.Serialize(receipt));
        Assert.InRange(receipt.Removed["previews"], 4, 6);
        Assert.True(receipt.Removed["uploadRecords"] >= 4, $"upload records removed: {receipt.Removed["uploadRecords"]}");

        // Late: the processing image's ImageUploaded delivered again to both consumers, and a retried upload.
        await scope.Queue("thumbnailer").SendMessageAsync(late!);
        await scope.Queue("catalog").SendMessageAsync(late!);
        var retried = await client.PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("11", "clinical", Photo(1)).Build());
        Assert.Equal(HttpStatusCode.Gone, retried.StatusCode);
        Assert.Contains(ProblemTypes.PatientErased, await retried.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Eventually.ReturnsAsync(() => Task.FromResult(platform.Logs("thumbnailer").Contains($"Image {processing}: original no longer exists", StringComparison.Ordinal)),
            seen => seen, "the thumbnailer to receive the late event");

        var traces = await Eventually.ReturnsAsync(
            () => PatientTraces.FindAsync(scope, patient, IsTombstone, d => (string?)d["docType"] == "erasure"), found => found.Count == 0, "no trace of the patient", TimeSpan.FromSeconds(60));
        Assert.Empty(traces);
        Assert.Empty((await PlatformFixture.ListAsync(admin, patient, "includeDeleted=true")).Items);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/patients/{patient}/images/{ready}/content")).StatusCode);
        // The other patient is untouched; the erasure and each service's part are on the audit trail, by id only.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/patients/{other}/images/{kept}/content")).StatusCode);
        var trail = await platform.Client("auditor").GetStringAsync($"/api/v1/audit?patientId={patient}&action=patient.erase");
        Assert.Contains("\"eventType\":\"right_to_erasure\"", trail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_erasure_cut_short_by_killing_the_upload_service_finishes_when_it_is_asked_again()
    {
        var platform = fixture.Platform;
        var (client, admin, scope) = (platform.Client(), platform.Client("admin"), platform.Scope);
        var patient = Guid.NewGuid().ToString();
        const int Images = 600;
        await platform.KillAsync("thumbnailer");
        await Parallel.ForAsync(0, Images / 20, async (request, _) =>
        {
            var form = UploadForm.For("11", "xray");
            for (var i = 0; i < 20; i++)
            {
                form.File(TestImages.Png(16 + (request * 20) + i, 16), $"{request}-{i}.png");
            }

            await PlatformFixture.UploadAsync(client, patient, form);
        });
        var originals = $"{TestTokens.Clinic}/{patient}/";
        Assert.Equal(Images, (await PlatformFixture.BlobsAsync(scope, scope.OriginalsContainer, originals)).Count);

        Assert.Equal(HttpStatusCode.Accepted, (await admin.DeleteAsync($"/api/v1/patients/{patient}")).StatusCode);
        var left = await Eventually.ReturnsAsync(() => PlatformFixture.BlobsAsync(scope, scope.OriginalsContainer, originals), names => names.Count < Images,
            "the upload service to start erasing", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
        await platform.KillAsync("upload");
        var afterKill = (await PlatformFixture.BlobsAsync(scope, scope.OriginalsContainer, originals)).Count;
        Assert.True(afterKill > 0, "the kill came after the upload service had erased everything: the test did not interrupt it");
        Assert.Contains("upload", (await ReceiptAsync(admin, $"/api/v1/patients/{patient}/erasure")).Pending);

        await platform.StartAsync("upload");
        await platform.StartAsync("thumbnailer");
        var again = await admin.DeleteAsync($"/api/v1/patients/{patient}");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        // Each owner first waits out the 15 s its "not erased" answers are kept, then deletes what is left (up to 600 originals
        // and their 1 200 upload records, at Azurite's 160 or so deletes a second) while the restarted Thumbnailer drains 600 events.
        var receipt = await Eventually.ReturnsAsync(() => ReceiptAsync(admin, $"/api/v1/patients/{patient}/erasure"), r => r.Status == ErasureReceipt.Completed,
            "the resumed erasure to complete", TimeSpan.FromMinutes(2));

        Assert.Equal(2, receipt.Requests);
        Assert.Empty(await PlatformFixture.BlobsAsync(scope, scope.OriginalsContainer, originals));
        Assert.Empty(await PlatformFixture.BlobsAsync(scope, scope.UploadRecordsContainer, $"clinics/{TestTokens.Clinic}/patients/{patient}/"));
        // What the resumed run found still there, at least (the killed run reported nothing).
        Assert.InRange(receipt.Removed["originals"], afterKill, Images);
        // The Thumbnailer drains the events of the uploads it missed while down: each finds its original gone and is dropped.
        Assert.Empty(await Eventually.ReturnsAsync(() => PatientTraces.FindAsync(scope, patient, IsTombstone, d => (string?)d["docType"] == "erasure"),
            found => found.Count == 0, "no trace of the patient", TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public async Task Offboarding_a_clinic_closes_it_and_erases_all_its_data_in_every_service_under_one_receipt()
    {
        var platform = fixture.Platform;
        var scope = platform.Scope;
        var clinic = $"clinic-off-{Guid.NewGuid():N}"[..24];
        await scope.Clinics().RegisterAsync(clinic, "offboarding test", CancellationToken.None);
        var (leaving, staying) = (platform.Client(clinic: clinic), platform.Client());
        var (first, second) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var images = new[] { (first, await UploadAsync(leaving, first, "11", Photo(7))), (first, await UploadAsync(leaving, first, "12", Photo(8))), (second, await UploadAsync(leaving, second, "21", Photo(9))) };
        // The same patient id in another clinic is another patient, who stays.
        var kept = await UploadAsync(staying, first, "11", Photo(7));
        foreach (var (patient, image) in images)
        {
            await PlatformFixture.WaitUntilReadyAsync(leaving, patient, image);
        }

        await PlatformFixture.WaitUntilReadyAsync(staying, first, kept);
        var poison = CloudEvents.Create("/tests", ImageUploaded.EventType, Guid.NewGuid().ToString(), EventSubjects.Patient(second),
            new { clinicId = clinic, patientId = second, imageId = "not-a-guid" }, DateTimeOffset.UtcNow);
        await scope.Queue("catalog").SendMessageAsync(poison.ToBinary());
        await Eventually.ReturnsAsync(async () => (await scope.Queue("catalog-poison").PeekMessagesAsync(32)).Value.Count(m => PatientTraces.Readable(m.Body).Contains(clinic, StringComparison.Ordinal)),
            n => n == 1, "the poison message to be dead-lettered");

        await using var ops = Dental.Ops.OpsServices.Create(scope.ServiceSettings());
        var offboard = new Dental.Ops.OffboardCommand(ops, TimeProvider.System);
        var started = await offboard.RunAsync(clinic, "operator:test", CancellationToken.None);

        Assert.False(started!.Completed);
        await Eventually.ReturnsAsync(() => leaving.GetAsync($"/api/v1/patients/{first}/images"), r => r.StatusCode == HttpStatusCode.Forbidden, "the closed clinic's tokens to be refused");
        var receipt = await Eventually.ReturnsAsync(() => offboard.ReceiptAsync(clinic, CancellationToken.None), r => r!.Completed, "the offboarding to complete", TimeSpan.FromSeconds(90));
        var removed = receipt!.Reports.Values.SelectMany(r => r.Removed).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Value));
        // Three originals, three image documents and two recent-patient entries, the poison message; every preview.
        Assert.Equal((3, 5, 1), (removed["originals"], removed["documents"], removed["deadLetters"]));
        Assert.InRange(removed["previews"], 6, 9);
        Assert.Equal("operator:test", receipt.RequestedBy);

        // Nothing of the clinic is left but its registry record (closed), its tombstones and its erasure record.
        bool Allowed(string blob) => IsTombstone(blob) || blob.StartsWith($"{scope.ClinicsContainer}/", StringComparison.Ordinal);
        Assert.Empty(await PatientTraces.FindAsync(scope, clinic, Allowed, d => (string?)d["docType"] == "erasure"));
        Assert.Empty(await PatientTraces.FindAsync(scope, second, Allowed, d => (string?)d["docType"] == "erasure"));

        Assert.Equal(HttpStatusCode.OK, (await staying.GetAsync($"/api/v1/patients/{first}/images/{kept}/content")).StatusCode);
        // Again: the final receipt, nothing announced.
        Assert.True((await offboard.RunAsync(clinic, "operator:test", CancellationToken.None))!.Completed);
    }

    [Fact]
    public async Task A_deleted_image_is_purged_with_its_original_and_previews_once_its_retention_has_passed()
    {
        await using var platform = await AspirePlatform.StartAsync(new Dictionary<string, string?>
        {
            ["Catalog:DeletedImageRetention"] = "00:00:02",
            ["Catalog:RetentionSweepInterval"] = "00:00:01",
        });
        var (client, scope) = (platform.Client(), platform.Scope);
        var patient = Guid.NewGuid().ToString();
        var (purged, kept) = (await UploadAsync(client, patient, "11", Photo(5)), await UploadAsync(client, patient, "12", Photo(6)));
        await PlatformFixture.WaitUntilReadyAsync(client, patient, purged);
        await PlatformFixture.WaitUntilReadyAsync(client, patient, kept);
        var prefix = $"{TestTokens.Clinic}/{patient}/11/";
        // The large preview too, so that every preview the image will ever have exists before the purge.
        await Eventually.ReturnsAsync(() => PlatformFixture.BlobsAsync(scope, scope.PreviewsContainer, prefix), names => names.Count == 3, "the image's three previews");

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/patients/{patient}/images/{purged}")).StatusCode);

        await Eventually.ReturnsAsync(() => client.GetAsync($"/api/v1/patients/{patient}/images/{purged}"), r => r.StatusCode == HttpStatusCode.NotFound, "the purge");
        await Eventually.ReturnsAsync(() => PlatformFixture.BlobsAsync(scope, scope.OriginalsContainer, prefix), names => names.Count == 0, "the original to be removed by its owner");
        await Eventually.ReturnsAsync(() => PlatformFixture.BlobsAsync(scope, scope.PreviewsContainer, prefix), names => names.Count == 0, "the previews to be removed by their owner");
        // Its bytes are new again to the platform; the other image is untouched.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/v1/patients/{patient}/images", UploadForm.For("11", "clinical", Photo(5)).Build())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/patients/{patient}/images/{kept}/content")).StatusCode);
        Assert.Contains("\"action\":\"image.retention-purge\"", await platform.Client("auditor").GetStringAsync($"/api/v1/audit?patientId={patient}"), StringComparison.Ordinal);
    }

    private static bool IsTombstone(string blob) => blob.StartsWith("upload-records/erased/", StringComparison.Ordinal) || blob.StartsWith("previews/_erased/", StringComparison.Ordinal);

    private static byte[] Photo(int seed) => JpegFixtures.Encode(TestImages.Png(320, 240, sample: (x, y, c) => (x + y + (c * seed * 20)) % 256), 320);

    private static async Task<Guid> UploadAsync(HttpClient client, string patient, string tooth, byte[] file, string? note = null)
    {
        var form = note is null ? UploadForm.For(tooth, "clinical", file) : UploadForm.For(tooth, "clinical").Field("note", note).File(file);
        return (await PlatformFixture.UploadAsync(client, patient, form)).Items.Single().Id;
    }

    private static async Task<ErasureReceipt> ReceiptAsync(HttpClient admin, string link) =>
        (await admin.GetFromJsonAsync<ErasureReceipt>(link, JsonSerializerOptions.Web))!;
}

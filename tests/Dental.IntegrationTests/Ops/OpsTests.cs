using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Messaging;
using Dental.AzureClients;
using Dental.Catalog.Api;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.IntegrationTests.Catalog;
using Dental.Messaging;
using Dental.Ops;
using Dental.Testing;
using Dental.Upload.Store;

namespace Dental.IntegrationTests.Ops;

/// <summary>The operations tool against real Azurite and the Cosmos emulator, with the Catalog service running in-process.</summary>
public class OpsTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private OpsServices Ops() => OpsServices.Create(fixture.Scope.ServiceSettings());

    private static PatientKey Key(string patient) => new(TestTokens.Clinic, patient);

    private async Task<List<ImageResource>> SeedAsync(string patient, int count)
    {
        var images = new List<ImageResource>();
        for (var i = 0; i < count; i++)
        {
            var uploaded = await fixture.NewImageAsync(patient, $"1{i + 1}", "xray", bytes: TestImages.JpegLike(800, 600, 3000 + i, seed: patient.GetHashCode() + i));
            await fixture.DeliverAsync(uploaded);
            await fixture.DeliverAsync(await fixture.PreviewsForAsync(uploaded));
            images.Add((await fixture.Client().GetFromJsonAsync<ImageResource>($"/api/v1/patients/{patient}/images/{uploaded.ImageId}", JsonSerializerOptions.Web))!);
        }

        return images;
    }

    private async Task<string> StateAsync(string patient)
    {
        var client = fixture.Client();
        var page = await client.GetStringAsync($"/api/v1/patients/{patient}/images");
        var summary = await client.GetStringAsync($"/api/v1/patients/{patient}/summary");
        var originals = new List<string>();
        foreach (var name in await OpsServices.BlobNamesAsync(fixture.Originals, BlobNames.PatientPrefix(Key(patient)), default))
        {
            originals.Add(name + ":" + Convert.ToHexStringLower(SHA256.HashData((await fixture.Originals.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray())));
        }

        return page + summary + string.Join(",", originals.Order());
    }

    [Fact]
    public async Task Dead_letters_are_listed_per_subscription_with_reason_and_deliveries_and_without_payload_unless_asked()
    {
        await fixture.Scope.Queue("catalog").SendMessageAsync(BinaryData.FromString("this is not a CloudEvent"));
        await using var ops = Ops();

        // The catalog's consumer (running in this fixture) dead-letters it at once.
        var rows = await Eventually.ReturnsAsync(
            () => new DeadLettersCommand(ops).ListAsync(withPayload: false, 32, default),
            r => r.Any(row => row.Subscription == "images/catalog"),
            "the unreadable message to be dead-lettered");
        var row = Assert.Single(rows, r => r.Subscription == "images/catalog");
        Assert.Null(row.EventType);
        Assert.StartsWith("unreadable: ", row.Reason, StringComparison.Ordinal);
        Assert.Equal(1, row.DeliveryCount);
        Assert.NotNull(row.DeadLetteredAt);
        Assert.Null(row.Payload);
        Assert.Equal("this is not a CloudEvent", Assert.Single(await new DeadLettersCommand(ops).ListAsync(withPayload: true, 32, default), r => r.Subscription == "images/catalog").Payload);
    }

    [Fact]
    public async Task Dead_letters_are_resubmitted_to_their_own_subscription_and_purged_by_id()
    {
        await using var ops = Ops();
        var command = new DeadLettersCommand(ops);
        var body = $"not a CloudEvent {Guid.NewGuid()}";
        await fixture.Scope.Queue("catalog").SendMessageAsync(BinaryData.FromString(body));
        var first = await Eventually.ReturnsAsync(
            () => command.ListAsync(withPayload: true, 32, default), r => r.Any(row => row.Payload == body), "the message to be dead-lettered");
        var id = Assert.Single(first, r => r.Payload == body).MessageId;

        // Still unreadable after the resubmit: the catalog's consumer dead-letters it again, as a new message.
        var resubmitted = await command.ResubmitAsync("images/catalog", id, default);
        Assert.Equal(1, resubmitted["images/catalog"]);
        var again = await Eventually.ReturnsAsync(
            () => command.ListAsync(withPayload: true, 32, default), r => r.Any(row => row.Payload == body && row.MessageId != id), "the resubmitted message to come back");
        Assert.DoesNotContain(again, r => r.MessageId == id);
        Assert.DoesNotContain((await fixture.Scope.Queue("thumbnailer").PeekMessagesAsync(32)).Value, m => m.Body.ToString() == body);

        var purged = await command.PurgeAsync("images/catalog", Assert.Single(again, r => r.Payload == body).MessageId, default);
        Assert.Equal(1, purged["images/catalog"]);
        Assert.DoesNotContain(await command.ListAsync(withPayload: true, 32, default), r => r.Payload == body);
        await Assert.ThrowsAsync<ArgumentException>(() => command.PurgeAsync("images/nobody", null, default));
    }

    [Fact]
    public async Task Backup_erase_restore_gives_identical_originals_and_metadata_and_a_second_restore_changes_nothing()
    {
        var patient = Guid.NewGuid().ToString();
        await SeedAsync(patient, 2);
        var before = await StateAsync(patient);
        var zip = Path.Combine(Path.GetTempPath(), $"backup-{Guid.NewGuid():N}.zip");
        await using var ops = Ops();
        // One of the Upload service's records of this patient (a dedupe marker), backed up through the Upload's store.
        await ops.UploadRecords.Container.CreateIfNotExistsAsync();
        await ops.UploadRecords.WriteAsync(UploadRecords.DedupeMarker(Key(patient), new string('a', 64)), new { imageId = Guid.NewGuid() }, default);

        var manifest = await new BackupCommand(ops).RunAsync(zip, [Key(patient)], previews: true, null, default);
        Assert.Equal((2, 4, 2, 1), (manifest.Counts.Originals, manifest.Counts.Previews, manifest.Counts.Documents, manifest.Counts.Records));
        await ops.UploadRecords.DeleteAsync(UploadRecords.DedupeMarker(Key(patient), new string('a', 64)), default);
        await LoseEverythingAsync(ops, patient);
        Assert.NotEqual(before, await StateAsync(patient));

        var dryRun = await new RestoreCommand(ops).RunAsync(zip, dryRun: true, null, default);
        Assert.Equal((7, 2), (dryRun.BlobsWritten, dryRun.DocumentsWritten));
        Assert.NotEqual(before, await StateAsync(patient));

        var restored = await new RestoreCommand(ops).RunAsync(zip, dryRun: false, null, default);
        Assert.Equal((9, 7, 2, 0), (restored.Verified, restored.BlobsWritten, restored.DocumentsWritten, restored.PreviewsRequested));
        Assert.Empty(restored.SkippedErased);
        Assert.Equal(before, await StateAsync(patient));
        Assert.NotNull(await ops.UploadRecords.ReadRawAsync(UploadRecords.DedupeMarker(Key(patient), new string('a', 64)), default));

        var again = await new RestoreCommand(ops).RunAsync(zip, dryRun: false, null, default);
        Assert.Equal((0, 0, 9, null), (again.BlobsWritten, again.DocumentsWritten, again.Unchanged, again.SafetyBackup));
        Assert.Equal(before, await StateAsync(patient));
        File.Delete(zip);
    }

    [Fact]
    public async Task A_variant_is_backed_up_and_restored_with_its_original_and_stays_linked_to_it()
    {
        var patient = Guid.NewGuid().ToString();
        var original = Assert.Single(await SeedAsync(patient, 1));
        var variant = await fixture.NewImageAsync(patient, original.Tooth, original.Type, bytes: TestImages.JpegLike(800, 600, 2100, seed: 5),
            variant: new VariantFacts(original.Id, VariantKind.Heatmap, "caries-net 2.1"));
        await fixture.DeliverAsync(variant);
        await fixture.DeliverAsync(await fixture.PreviewsForAsync(variant));
        var before = await StateAsync(patient) + await fixture.Client().GetStringAsync($"/api/v1/patients/{patient}/images/{original.Id}/variants");
        var zip = Path.Combine(Path.GetTempPath(), $"backup-{Guid.NewGuid():N}.zip");
        await using var ops = Ops();
        await ops.UploadRecords.Container.CreateIfNotExistsAsync();

        var manifest = await new BackupCommand(ops).RunAsync(zip, [Key(patient)], previews: true, null, default);
        Assert.Equal((2, 4, 2), (manifest.Counts.Originals, manifest.Counts.Previews, manifest.Counts.Documents));
        await LoseEverythingAsync(ops, patient);
        var restored = await new RestoreCommand(ops).RunAsync(zip, dryRun: false, null, default);

        Assert.Equal((6, 2), (restored.BlobsWritten, restored.DocumentsWritten));
        Assert.Equal(before, await StateAsync(patient) + await fixture.Client().GetStringAsync($"/api/v1/patients/{patient}/images/{original.Id}/variants"));
        var listed = Assert.Single((await fixture.Client().GetFromJsonAsync<ImagePage>($"/api/v1/patients/{patient}/images", JsonSerializerOptions.Web))!.Items);
        Assert.Equal((original.Id, variant.ImageId), (listed.Id, Assert.Single(listed.Variants).Id));
        File.Delete(zip);
    }

    [Fact]
    public async Task Restoring_a_backup_made_before_a_patient_was_erased_skips_that_patient_and_reports_it()
    {
        var (erased, kept) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await SeedAsync(erased, 2);
        await SeedAsync(kept, 1);
        var zip = Path.Combine(Path.GetTempPath(), $"backup-{Guid.NewGuid():N}.zip");
        await using var ops = Ops();
        await new BackupCommand(ops).RunAsync(zip, [Key(erased), Key(kept)], previews: true, null, default);
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Client("admin").DeleteAsync($"/api/v1/patients/{erased}")).StatusCode);
        await Eventually.ReturnsAsync(() => StateAsync(erased), state => state.Contains("\"items\":[]", StringComparison.Ordinal), "the catalog's part of the erasure");
        // (Here no Upload service or Thumbnailer runs: their part is played by removing the blobs as they would.)
        await fixture.Originals.EraseAllUnderAsync(BlobNames.PatientPrefix(Key(erased)), default);
        await fixture.Previews.EraseAllUnderAsync(BlobNames.PatientPrefix(Key(erased)), default);
        await LoseEverythingAsync(ops, kept);

        var restored = await new RestoreCommand(ops).RunAsync(zip, dryRun: false, null, default);

        Assert.Equal([Key(erased).Path], restored.SkippedErased);
        Assert.Equal((3, 1), (restored.BlobsWritten, restored.DocumentsWritten));
        Assert.Empty(await OpsServices.BlobNamesAsync(fixture.Originals, BlobNames.PatientPrefix(Key(erased)), default));
        Assert.Empty(await OpsServices.BlobNamesAsync(fixture.Previews, BlobNames.PatientPrefix(Key(erased)), default));
        Assert.Empty((await fixture.Client("admin").GetFromJsonAsync<ImagePage>($"/api/v1/patients/{erased}/images?includeDeleted=true", JsonSerializerOptions.Web))!.Items);
        Assert.Single((await fixture.Client().GetFromJsonAsync<ImagePage>($"/api/v1/patients/{kept}/images", JsonSerializerOptions.Web))!.Items);
        File.Delete(zip);
    }

    /// <summary>A disaster short of erasure: the patient's blobs and documents are gone, nobody erased the patient.</summary>
    private async Task LoseEverythingAsync(OpsServices ops, string patient)
    {
        await fixture.Originals.EraseAllUnderAsync(BlobNames.PatientPrefix(Key(patient)), default);
        await fixture.Previews.EraseAllUnderAsync(BlobNames.PatientPrefix(Key(patient)), default);
        await ops.Documents.DeletePatientAsync(Key(patient), default);
        await ops.Documents.ForgetActivityAsync(Key(patient), default);
    }

    [Fact]
    public async Task A_backup_written_before_clinics_is_restored_into_the_clinic_the_operator_names()
    {
        var patient = Guid.NewGuid().ToString();
        var images = await SeedAsync(patient, 2);
        var zip = Path.Combine(Path.GetTempPath(), $"backup-{Guid.NewGuid():N}.zip");
        await using var ops = Ops();
        await ops.UploadRecords.Container.CreateIfNotExistsAsync();
        await ops.UploadRecords.WriteAsync(UploadRecords.DedupeMarker(Key(patient), new string('b', 64)), new { imageId = images[0].Id, patientId = patient }, default);
        await new BackupCommand(ops).RunAsync(zip, [Key(patient)], previews: true, null, default);
        var legacy = await LegacyBackupFixture.AsWrittenBeforeClinicsAsync(zip, TestTokens.Clinic);
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Client("admin").DeleteAsync($"/api/v1/patients/{patient}")).StatusCode);

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => new RestoreCommand(ops).RunAsync(legacy, dryRun: false, null, default));
        Assert.Contains("--clinic", refused.Message, StringComparison.Ordinal);

        var upgraded = await LegacyBackup.UpgradeAsync(legacy, TestScope.OtherClinic, default);
        var restored = await new RestoreCommand(ops).RunAsync(upgraded, dryRun: false, null, default);
        Assert.Equal((9, 7, 2), (restored.Verified, restored.BlobsWritten, restored.DocumentsWritten));

        // The patient now lives in the named clinic, with the same image ids, bytes, previews and records; the old one has nothing.
        var theirs = fixture.Client(clinic: TestScope.OtherClinic);
        var page = (await theirs.GetFromJsonAsync<ImagePage>($"/api/v1/patients/{patient}/images", JsonSerializerOptions.Web))!;
        Assert.Equal(images.Select(i => i.Id).Order(), page.Items.Select(i => i.Id).Order());
        Assert.All(page.Items, i => Assert.StartsWith($"originals/{TestScope.OtherClinic}/{patient}/", i.BlobPath, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync($"/api/v1/patients/{patient}/images/{images[0].Id}/previews/small")).StatusCode);
        var original = await theirs.GetByteArrayAsync($"/api/v1/patients/{patient}/images/{images[0].Id}/content");
        Assert.Equal(images[0].Sha256, Convert.ToHexStringLower(SHA256.HashData(original)));
        Assert.NotNull(await ops.UploadRecords.ReadRawAsync(UploadRecords.DedupeMarker(new PatientKey(TestScope.OtherClinic, patient), new string('b', 64)), default));
        // Once the old clinic's erasure (requested above, waiting out cached "not erased" answers) has run.
        await Eventually.ReturnsAsync(() => fixture.Client().GetFromJsonAsync<ImagePage>($"/api/v1/patients/{patient}/images", JsonSerializerOptions.Web),
            old => old!.Items.Count == 0, "the old clinic's erasure", TimeSpan.FromSeconds(60));
        foreach (var file in new[] { zip, legacy, upgraded })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Verify_finds_a_missing_original_an_orphan_blob_missing_previews_and_a_missing_large_preview_and_repair_fixes_them()
    {
        var patient = Guid.NewGuid().ToString();
        var images = await SeedAsync(patient, 3);
        await fixture.Originals.DeleteBlobAsync(images[0].BlobPath["originals/".Length..]);
        await fixture.Previews.DeleteBlobAsync(BlobNames.Preview(Key(patient), images[1].Tooth, images[1].Type, images[1].Id, PreviewSize.Small));
        var orphanId = Guid.CreateVersion7();
        var orphan = BlobNames.Original(Key(patient), "21", "before", orphanId, "jpg");
        var orphanBytes = TestImages.JpegLike(640, 480, 2500, seed: 77);
        await fixture.Originals.GetBlobClient(orphan).UploadAsync(new BinaryData(orphanBytes), new Azure.Storage.Blobs.Models.BlobUploadOptions
        {
            HttpHeaders = new Azure.Storage.Blobs.Models.BlobHttpHeaders { ContentType = "image/jpeg" },
            Metadata = new Dictionary<string, string> { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(orphanBytes)), ["uploadedby"] = "dr-who" },
        });
        await using var ops = Ops();

        var report = await new VerifyCommand(ops).RunAsync(null, default);
        var mine = report.Findings.Where(f => f.Patient == Key(patient).Path).Select(f => (f.Kind, f.Subject)).Order().ToList();
        // images[2] is ready with small and medium but, like every image stored before the viewing rendition, no large preview.
        Assert.Equal(new[]
        {
            (FindingKind.OriginalMissing, images[0].Id.ToString()), (FindingKind.OrphanBlob, orphan), (FindingKind.PreviewsMissing, images[1].Id.ToString()),
            (FindingKind.LargePreviewMissing, images[2].Id.ToString()),
        }.Order(), mine);

        var planned = await new RepairCommand(ops).RunAsync(dryRun: true, null, default);
        Assert.Contains(planned, a => a.Subject == orphan && a.Action == "catalog the original");
        var actions = await new RepairCommand(ops).RunAsync(dryRun: false, null, default);
        Assert.Equal(planned.Select(a => (a.Subject, a.Action)), actions.Select(a => (a.Subject, a.Action)));

        // The catalog (running here) picks up the re-catalogued original; the entry without an original is gone.
        var listed = await Eventually.ReturnsAsync(
            async () => (await fixture.Client().GetFromJsonAsync<ImagePage>($"/api/v1/patients/{patient}/images", JsonSerializerOptions.Web))!.Items,
            items => items.Any(i => i.Id == orphanId),
            "the orphan original to be catalogued");
        Assert.DoesNotContain(listed, i => i.Id == images[0].Id);
        // The summary follows the document a moment later (its own exactly-once write).
        await Eventually.ReturnsAsync(
            async () => (await fixture.Client().GetFromJsonAsync<PatientSummary>($"/api/v1/patients/{patient}/summary", JsonSerializerOptions.Web))!.Total,
            total => total == 3,
            "the summary to count the repaired images");
        // Missing previews are re-rendered through the normal path: an ImageUploaded waits for the thumbnailer.
        var thumbnailerQueue = fixture.Scope.Queue("thumbnailer");
        var queued = (await thumbnailerQueue.PeekMessagesAsync(32)).Value.Select(m => CloudEvent.Parse(m.Body)!).ToList();
        Assert.Contains(queued, e => e.Id.StartsWith($"{images[1].Id:D}:repair", StringComparison.Ordinal));
        // The missing large preview alone is asked for on the thumbnailer's lower-priority topic: the backfill.
        var renditions = (await fixture.Scope.Queue("thumbnailer", Topics.Renditions).PeekMessagesAsync(32)).Value.Select(m => CloudEvent.Parse(m.Body)!).ToList();
        var backfill = Assert.Single(renditions, e => e.Id.StartsWith($"{images[2].Id:D}:large-repair", StringComparison.Ordinal));
        Assert.Equal(images[2].BlobPath["originals/".Length..], backfill.DataAs<LargePreviewRequested>().BlobName);

        var after = await new VerifyCommand(ops).RunAsync(null, default);
        Assert.DoesNotContain(after.Findings, f => f.Patient == Key(patient).Path && f.Kind is FindingKind.OrphanBlob or FindingKind.OriginalMissing);
    }
}

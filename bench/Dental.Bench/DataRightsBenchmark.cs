using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.AzureClients;
using Dental.Catalog.Api;
using Dental.Catalog.Erasure;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;
using Dental.Ops;
using Dental.Testing;
using Dental.Upload.Store;

namespace Dental.Bench;

/// <summary>
/// Data rights through the whole platform (app host, real emulators): how long erasing a patient with 1 000 images takes
/// from the request to the completed receipt (and 100, to see it grow linearly), and how fast a patient's export streams
/// through the gateway, beside downloading the same originals one by one, with the Catalog's peak memory before and after.
/// The patients are seeded straight into the stores (originals with their metadata, two previews, the catalog documents,
/// dedupe markers) as the pipeline would leave them, so the figures are the erasure's and the export's own.
/// </summary>
public static class DataRightsBenchmark
{
    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        await using var platform = await AspirePlatform.StartAsync();
        await using var ops = OpsServices.Create(platform.Scope.ServiceSettings());
        var admin = platform.Client("admin");
        var figures = new List<Figure>();
        var (erase100, _) = await EraseAsync(admin, ops, await SeedAsync(ops, 100, 2048));
        var seeding = Stopwatch.StartNew();
        var thousand = await SeedAsync(ops, 1000, 2048);
        var seeded = seeding.Elapsed.TotalSeconds;
        var (erase1000, receipt) = await EraseAsync(admin, ops, thousand);
        // The emulators bound both: writing the same blobs, records and documents is the fair reference.
        figures.Add(new Figure("erase a patient with 1 000 images (to receipt)", erase1000, "s", "writing them (16 at a time)", seeded));
        figures.Add(new Figure("erase 1 000 images", erase1000, "s", "erase 100 images, ×10", erase100 * 10));
        // The same deletes straight from one process (three containers side by side, as the three services do): what Azurite allows.
        var direct = await SeedAsync(ops, 1000, 2048);
        var deleting = Stopwatch.StartNew();
        await Task.WhenAll(
            ops.Containers.Originals.EraseAllUnderAsync(BlobNames.PatientPrefix(direct), default),
            ops.Containers.Previews.EraseAllUnderAsync(BlobNames.PatientPrefix(direct), default),
            ops.UploadRecords.EraseAsync(ErasureScope.Of(direct), default),
            ops.Documents.DeletePatientAsync(direct, default));
        figures.Add(new Figure("erase 1 000 images", erase1000, "s", "the same deletes from one process", deleting.Elapsed.TotalSeconds));
        foreach (var (owner, part) in receipt.Owners)
        {
            figures.Add(new Figure($"  of which {owner}'s part done after", (part.ErasedAt - receipt.RequestedAt).TotalSeconds, "s"));
        }

        const int files = 40;
        const int megabytes = 5;
        var exported = await SeedAsync(ops, files, megabytes * 1024 * 1024);
        var client = platform.Client();
        var before = await platform.PeakResidentBytesAsync("catalog");
        var clock = Stopwatch.StartNew();
        using (var response = await client.GetAsync($"/api/v1/patients/{exported.PatientId}/export", HttpCompletionOption.ResponseHeadersRead))
        {
            response.EnsureSuccessStatusCode();
            await (await response.Content.ReadAsStreamAsync()).CopyToAsync(Stream.Null);
        }

        var export = files * megabytes / clock.Elapsed.TotalSeconds;
        var after = await platform.PeakResidentBytesAsync("catalog");
        clock.Restart();
        foreach (var image in (await client.GetFromJsonAsync<ImagePage>($"/api/v1/patients/{exported.PatientId}/images?pageSize=100", JsonSerializerOptions.Web))!.Items)
        {
            using var response = await client.GetAsync($"/api/v1/patients/{exported.PatientId}/images/{image.Id}/content", HttpCompletionOption.ResponseHeadersRead);
            await (await response.Content.ReadAsStreamAsync()).CopyToAsync(Stream.Null);
        }

        figures.Add(new Figure($"export {files}×{megabytes} MB through the gateway", export, "MB/s", "the originals one by one (GET content)", files * megabytes / clock.Elapsed.TotalSeconds));
        figures.Add(new Figure("catalog peak RSS after the export", after / 1048576.0, "MB", "before it", before / 1048576.0));
        return figures;
    }

    private static async Task<(double Seconds, ErasureReceipt Receipt)> EraseAsync(HttpClient admin, OpsServices ops, PatientKey patient)
    {
        var clock = Stopwatch.StartNew();
        using var erase = await admin.DeleteAsync($"/api/v1/patients/{patient.PatientId}");
        erase.EnsureSuccessStatusCode();
        var receipt = await Eventually.ReturnsAsync(
            () => admin.GetFromJsonAsync<ErasureReceipt>($"/api/v1/patients/{patient.PatientId}/erasure", JsonSerializerOptions.Web),
            r => r!.Status == ErasureReceipt.Completed, "the erasure to complete", TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(50));
        var seconds = clock.Elapsed.TotalSeconds;
        var left = await OpsServices.BlobNamesAsync(ops.Containers.Originals, BlobNames.PatientPrefix(patient), default);
        return left.Count == 0 ? (seconds, receipt!) : throw new InvalidOperationException($"{left.Count} originals left after the erasure");
    }

    /// <summary>A patient of <paramref name="count"/> ready images, as the pipeline leaves them.</summary>
    private static async Task<PatientKey> SeedAsync(OpsServices ops, int count, int bytes)
    {
        var patient = new PatientKey(TestTokens.Clinic, Guid.NewGuid().ToString());
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var imageId = Guid.CreateVersion7();
            var content = TestImages.JpegLike(800, 600, bytes, seed: i);
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
            var name = BlobNames.Original(patient, "11", "xray", imageId, "jpg");
            var uploaded = new ImageUploaded(imageId, patient.ClinicId, patient.PatientId, "11", "fdi", "xray", name, content.Length, "image/jpeg", sha, 800, 600, "bench", DateTimeOffset.UtcNow, null);
            var text = new ImageText($"{i}.jpg", null);
            await ops.Containers.Originals.GetBlobClient(name).UploadAsync(new BinaryData(content), new BlobUploadOptions { Metadata = OriginalMetadata.For(uploaded, text) }, ct);
            var previews = new Dictionary<string, PreviewInfo>();
            foreach (var size in PreviewSize.Ready)
            {
                var preview = BlobNames.Preview(patient, "11", "xray", imageId, size);
                await ops.Containers.Previews.GetBlobClient(preview).UploadAsync(new BinaryData(content.AsMemory(0, 2048).ToArray()), overwrite: true, ct);
                previews[size] = new PreviewInfo(preview, 200, 150, 2048);
            }

            await ops.UploadRecords.WriteAsync(UploadRecords.DedupeMarker(patient, sha), new { imageId }, ct);
            var ready = new PreviewsReady(imageId, patient.ClinicId, patient.PatientId, 800, 600, previews, DateTimeOffset.UtcNow);
            await ops.Documents.UpdateImageAsync(patient, imageId.ToString("D"), d => ImageDocumentReducer.Apply(ImageDocumentReducer.Apply(d, uploaded, text), ready), ct);
        });
        await ops.Documents.RecordActivityAsync(patient, DateTimeOffset.UtcNow, default);
        return patient;
    }
}

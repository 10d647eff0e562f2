using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using Dental.Audit;
using Dental.AzureClients;
using Dental.Catalog.Api;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;

namespace Dental.Catalog.Export;

/// <summary>
/// Data portability: one zip of the patient's images — each original as stored, its previews, and its metadata as the API
/// shows it (deleted images included, marked so) — then a manifest with the SHA-256 of every file. Streamed: each file goes
/// from the blob through a hash into the response, so memory stays flat whatever the patient's size.
/// </summary>
internal static class PatientExport
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void MapPatientExport(this RouteGroupBuilder patient) =>
        patient.MapGet("/export", ExportAsync).RequireAuthorization(Policies.Export).Audited(AuditActions.PatientExport).WithName("ExportPatient").WithTags(ApiTags.Patients)
            .WithSummary("Export a patient's images (data portability)")
            .WithDescription("A zip streamed as it is made: images/{imageId}/original.{ext}, images/{imageId}/previews/{size}.jpg and images/{imageId}/metadata.json " +
                "for every image (deleted ones included, with status deleted; each variant in a folder of its own, its metadata naming its original), then manifest.json with the SHA-256 and size of every file. 404 when the patient has no images.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

    private static async Task<IResult> ExportAsync(string patientId, HttpContext http, DocumentStore store, ImageContainers containers, TimeProvider time, CancellationToken cancellationToken)
    {
        var patient = http.User.Patient(patientId);
        var query = new ImageQuery(patient, null, null, [], null, null, IncludeDeleted: true, IncludeVariants: true).ToDefinition();
        if ((await store.QueryPageAsync<ImageDocument>(patient, query, null, 1, cancellationToken)).Count == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, type: Contracts.Api.ProblemTypes.NotFound, title: "Not found", detail: "This patient has no images to export.");
        }

        var exportedBy = http.User.FindFirst(TokenSubject.ClaimType)!.Value;
        return Results.Stream(
            async response =>
            {
                var files = new List<ExportedFile>();
                var images = 0;
                await using var body = new AsyncOnlyStream(response);
                // Not disposed when a file fails: the client must get a broken zip, not a complete-looking one without the manifest.
                var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken);
                await foreach (var doc in store.QueryAllAsync<ImageDocument>(patient, query, 50, cancellationToken))
                {
                    var folder = $"images/{doc.Id}/";
                    files.Add(await AddBlobAsync(zip, folder + "original" + Path.GetExtension(doc.Upload!.BlobName), containers.Originals.GetBlobClient(doc.Upload.BlobName), cancellationToken));
                    foreach (var (size, preview) in doc.Previews ?? [])
                    {
                        files.Add(await AddBlobAsync(zip, $"{folder}previews/{size}.jpg", containers.Previews.GetBlobClient(preview.BlobName), cancellationToken));
                    }

                    files.Add(await AddJsonAsync(zip, folder + "metadata.json", doc.ToResource(http.User), cancellationToken));
                    images++;
                }

                await AddJsonAsync(zip, ExportManifest.EntryName, new ExportManifest(patientId, time.GetUtcNow(), exportedBy, images, files), cancellationToken);
                await zip.DisposeAsync();
                await body.FlushAsync(cancellationToken);
            },
            "application/zip",
            $"patient-{patientId}.zip");
    }

    /// <summary>Copies a blob into a stored (uncompressed: images are compressed already) entry, hashing it on the way.</summary>
    private static async Task<ExportedFile> AddBlobAsync(ZipArchive zip, string path, BlobClient blob, CancellationToken cancellationToken)
    {
        using var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
        await using var entry = await zip.CreateEntry(path, CompressionLevel.NoCompression).OpenAsync(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        int read;
        while ((read = await download.Content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await entry.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            size += read;
        }

        return new ExportedFile(path, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    private static async Task<ExportedFile> AddJsonAsync<T>(ZipArchive zip, string path, T value, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, Json);
        await using var entry = await zip.CreateEntry(path, CompressionLevel.Optimal).OpenAsync(cancellationToken);
        await entry.WriteAsync(bytes, cancellationToken);
        return new ExportedFile(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }
}

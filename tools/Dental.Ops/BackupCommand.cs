using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using Dental.Contracts;
using Microsoft.Azure.Cosmos;

namespace Dental.Ops;

/// <summary>
/// Writes one patient's (or every patient's) originals, documents and optionally previews to a zip,
/// streamed entry by entry (never a whole file in memory), each hashed while it is copied.
/// </summary>
public sealed class BackupCommand(OpsServices ops)
{
    public async Task<BackupManifest> RunAsync(string output, IReadOnlyList<string>? patients, bool previews, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var selected = patients is { Count: > 0 } ? patients : await ops.PatientsAsync(cancellationToken);
        var files = new List<BackupFile>();
        await using (var stream = File.Create(output))
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
        {
            foreach (var patient in selected)
            {
                progress?.Report(patient);
                foreach (var name in await OpsServices.BlobNamesAsync(ops.Containers.Originals, BlobNames.PatientPrefix(patient), cancellationToken))
                {
                    files.Add(await CopyBlobAsync(zip, ops.Containers.Originals, BlobNames.OriginalsContainer, name, cancellationToken));
                }

                if (previews)
                {
                    foreach (var name in await OpsServices.BlobNamesAsync(ops.Containers.Previews, BlobNames.PatientPrefix(patient), cancellationToken))
                    {
                        files.Add(await CopyBlobAsync(zip, ops.Containers.Previews, BlobNames.PreviewsContainer, name, cancellationToken));
                    }
                }

                foreach (var document in await DocumentsAsync(patient, cancellationToken))
                {
                    var bytes = JsonSerializer.SerializeToUtf8Bytes(document);
                    var path = $"documents/{patient}/{document["id"]!.GetValue<string>()}.json";
                    await using (var entry = zip.CreateEntry(path, CompressionLevel.Optimal).Open())
                    {
                        await entry.WriteAsync(bytes, cancellationToken);
                    }

                    files.Add(new BackupFile(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length));
                }
            }

            static bool IsRecord(BackupFile f) => f.Path.Contains("/_", StringComparison.Ordinal);
            var manifest = new BackupManifest(BackupManifest.CurrentSchema, DateTimeOffset.UtcNow, selected, new BackupCounts(
                files.Count(f => f.Path.StartsWith("originals/", StringComparison.Ordinal) && !IsRecord(f)),
                files.Count(f => f.Path.StartsWith("previews/", StringComparison.Ordinal)),
                files.Count(f => f.Path.StartsWith("documents/", StringComparison.Ordinal)),
                files.Count(IsRecord)), files);
            await using var manifestEntry = zip.CreateEntry(BackupManifest.EntryName).Open();
            await JsonSerializer.SerializeAsync(manifestEntry, manifest, BackupManifest.Json, cancellationToken);
            return manifest;
        }
    }

    /// <summary>Every document of the patient as stored, without Cosmos DB's system properties.</summary>
    public async Task<List<System.Text.Json.Nodes.JsonObject>> DocumentsAsync(string patient, CancellationToken cancellationToken)
    {
        var documents = new List<System.Text.Json.Nodes.JsonObject>();
        var query = new QueryDefinition("SELECT * FROM c WHERE c.patientId = @patient").WithParameter("@patient", patient);
        using var iterator = ops.Images.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(patient) });
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync(cancellationToken);
            response.EnsureSuccessStatusCode();
            var page = await System.Text.Json.Nodes.JsonNode.ParseAsync(response.Content, cancellationToken: cancellationToken);
            foreach (var item in page!["Documents"]!.AsArray())
            {
                documents.Add(Reprocessing.WithoutSystemProperties((System.Text.Json.Nodes.JsonObject)item!.DeepClone()));
            }
        }

        return documents;
    }

    internal static async Task<BackupFile> CopyBlobAsync(ZipArchive zip, BlobContainerClient container, string containerName, string name, CancellationToken cancellationToken)
    {
        var path = $"{containerName}/{name}";
        var download = await container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken);
        using var content = download.Value;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        // Images are already compressed: stored, not deflated again.
        await using (var entry = zip.CreateEntry(path, name.EndsWith(".json", StringComparison.Ordinal) ? CompressionLevel.Optimal : CompressionLevel.NoCompression).Open())
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await content.Content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await entry.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                size += read;
            }
        }

        return new BackupFile(path, Convert.ToHexStringLower(hash.GetHashAndReset()), size, content.Details.ContentType, content.Details.Metadata.ToDictionary());
    }
}

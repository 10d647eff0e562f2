using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using Dental.Contracts;

namespace Dental.Ops;

/// <summary>
/// Writes one patient's (or every patient's) originals, catalog documents, Upload records and optionally
/// previews to a zip, streamed entry by entry (never a whole file in memory), each hashed while it is copied.
/// </summary>
public sealed class BackupCommand(OpsServices ops)
{
    public async Task<BackupManifest> RunAsync(string output, IReadOnlyList<PatientKey>? patients, bool previews, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var selected = patients is { Count: > 0 } ? patients : await ops.PatientsAsync(cancellationToken);
        var files = new List<BackupFile>();
        await using (var stream = File.Create(output))
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
        {
            foreach (var patient in selected)
            {
                progress?.Report(patient.Path);
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

                foreach (var document in await ops.Documents.ExportPatientAsync(patient, cancellationToken))
                {
                    var path = $"{BackupManifest.DocumentsFolder}{patient.Path}/{document["id"]!.GetValue<string>()}.json";
                    files.Add(await WriteEntryAsync(zip, path, JsonSerializer.SerializeToUtf8Bytes(document), cancellationToken));
                }

                foreach (var record in await ops.UploadRecords.ExportPatientAsync(patient, cancellationToken))
                {
                    files.Add(await WriteEntryAsync(zip, BackupManifest.UploadRecordsFolder + record.Name, record.Content.ToArray(), cancellationToken));
                }
            }

            int Count(string folder) => files.Count(f => f.Path.StartsWith(folder, StringComparison.Ordinal));
            var manifest = new BackupManifest(BackupManifest.CurrentSchema, DateTimeOffset.UtcNow, [.. selected.Select(p => p.Path)], new BackupCounts(
                Count(BlobNames.OriginalsContainer + "/"), Count(BlobNames.PreviewsContainer + "/"), Count(BackupManifest.DocumentsFolder), Count(BackupManifest.UploadRecordsFolder)), files);
            await using var manifestEntry = zip.CreateEntry(BackupManifest.EntryName).Open();
            await JsonSerializer.SerializeAsync(manifestEntry, manifest, BackupManifest.Json, cancellationToken);
            return manifest;
        }
    }

    private static async Task<BackupFile> WriteEntryAsync(ZipArchive zip, string path, byte[] bytes, CancellationToken cancellationToken)
    {
        await using (var entry = zip.CreateEntry(path, CompressionLevel.Optimal).Open())
        {
            await entry.WriteAsync(bytes, cancellationToken);
        }

        return new BackupFile(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
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

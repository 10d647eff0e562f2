using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Upload.Store;

namespace Dental.Ops;

/// <param name="SkippedErased">Patients of the backup erased since, or whose clinic was offboarded ({clinicId}/{patientId}): none of their files is written.</param>
public sealed record RestoreReport(
    int Verified, int BlobsWritten, int DocumentsWritten, int Unchanged, int PreviewsRequested, string? SafetyBackup, bool DryRun, IReadOnlyList<string> SkippedErased);

/// <summary>
/// Restores a backup: every SHA-256 is verified before anything is written; what would be overwritten
/// is first saved to a safety archive; image ids and blob names are kept; missing previews are rendered
/// again through the normal event path. Running it twice changes nothing the second time. A patient erased since the
/// backup was made (the Catalog's erasure record is their tombstone) is skipped and reported: a restore never brings an
/// erased patient back.
/// </summary>
public sealed class RestoreCommand(OpsServices ops)
{
    public async Task<RestoreReport> RunAsync(string input, bool dryRun, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        using var zip = ZipFile.OpenRead(input);
        var manifest = await ReadManifestAsync(zip, cancellationToken);
        foreach (var file in manifest.Files)
        {
            progress?.Report("verify " + file.Path);
            await using var entry = Entry(zip, file.Path).Open();
            if (Convert.ToHexStringLower(await SHA256.HashDataAsync(entry, cancellationToken)) != file.Sha256)
            {
                throw new InvalidDataException($"{file.Path} does not match its SHA-256 in the manifest: the backup is damaged; nothing was restored.");
            }
        }

        var erased = new List<PatientKey>();
        foreach (var patient in manifest.Patients.Select(PatientKey.Parse))
        {
            if (await ops.Documents.ReadErasureAsync(ErasureScope.Of(patient), cancellationToken) is not null
                || await ops.Documents.ReadErasureAsync(ErasureScope.Clinic(patient.ClinicId), cancellationToken) is not null)
            {
                erased.Add(patient);
            }
        }

        var restorable = manifest.Files.Where(f => !erased.Contains(PatientOf(f))).ToList();
        var skipped = erased.Select(p => p.Path).ToList();
        var changes = new List<(BackupFile File, bool Overwrites)>();
        foreach (var file in restorable)
        {
            progress?.Report("compare " + file.Path);
            var current = await CurrentHashAsync(file, cancellationToken);
            if (current != file.Sha256)
            {
                changes.Add((file, current is not null));
            }
        }

        var unchanged = restorable.Count - changes.Count;
        var blobs = changes.Count(c => !IsDocument(c.File));
        var documents = changes.Count - blobs;
        if (dryRun)
        {
            return new RestoreReport(manifest.Files.Count, blobs, documents, unchanged, 0, null, DryRun: true, skipped);
        }

        var safety = changes.Any(c => c.Overwrites) ? await SaveOverwrittenAsync(input, changes.Where(c => c.Overwrites).Select(c => c.File), cancellationToken) : null;
        foreach (var (file, _) in changes)
        {
            progress?.Report("restore " + file.Path);
            await WriteAsync(zip, file, cancellationToken);
        }

        var requested = await RequestMissingPreviewsAsync(zip, restorable, cancellationToken);
        return new RestoreReport(manifest.Files.Count, blobs, documents, unchanged, requested, safety, DryRun: false, skipped);
    }

    public static async Task<BackupManifest> ReadManifestAsync(ZipArchive zip, CancellationToken cancellationToken)
    {
        await using var stream = Entry(zip, BackupManifest.EntryName).Open();
        var manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(stream, BackupManifest.Json, cancellationToken)
            ?? throw new InvalidDataException("The manifest is empty.");
        return manifest.SchemaVersion switch
        {
            BackupManifest.CurrentSchema => manifest,
            LegacyBackup.Schema => throw new InvalidDataException(
                $"Backup schema {LegacyBackup.Schema} was written before clinics: name the clinic its patients belong to (restore --clinic ID)."),
            _ => throw new InvalidDataException($"Backup schema {manifest.SchemaVersion} is not supported (expected {BackupManifest.CurrentSchema}, or {LegacyBackup.Schema} with --clinic)."),
        };
    }

    private static ZipArchiveEntry Entry(ZipArchive zip, string path) =>
        zip.GetEntry(path) ?? throw new InvalidDataException($"The backup lacks {path}.");

    /// <summary>The patient a file belongs to: originals/ and previews/{clinic}/{patient}/…, documents/{clinic}/{patient}/…, upload-records/clinics/{clinic}/patients/{patient}/….</summary>
    private static PatientKey PatientOf(BackupFile file)
    {
        var parts = file.Path.Split('/');
        return IsUploadRecord(file) ? new PatientKey(parts[2], parts[4]) : new PatientKey(parts[1], parts[2]);
    }

    private static bool IsDocument(BackupFile file) => file.Path.StartsWith(BackupManifest.DocumentsFolder, StringComparison.Ordinal);

    private static bool IsUploadRecord(BackupFile file) => file.Path.StartsWith(BackupManifest.UploadRecordsFolder, StringComparison.Ordinal);

    private static string UploadRecordName(BackupFile file) => file.Path[BackupManifest.UploadRecordsFolder.Length..];

    private (BlobContainerClient Container, string Name) Blob(BackupFile file)
    {
        var slash = file.Path.IndexOf('/', StringComparison.Ordinal);
        var container = file.Path[..slash] == BlobNames.PreviewsContainer ? ops.Containers.Previews : ops.Containers.Originals;
        return (container, file.Path[(slash + 1)..]);
    }

    /// <summary>documents/{clinic}/{patient}/{id}.json</summary>
    private static (PatientKey Patient, string Id) Document(BackupFile file)
    {
        var parts = file.Path.Split('/');
        return (new PatientKey(parts[1], parts[2]), Path.GetFileNameWithoutExtension(parts[3]));
    }

    /// <summary>A document or Upload record as stored now (documents as exported), or null when there is none.</summary>
    private async Task<byte[]?> StoredBytesAsync(BackupFile file, CancellationToken cancellationToken)
    {
        if (IsUploadRecord(file))
        {
            return (await ops.UploadRecords.ReadRawAsync(UploadRecordName(file), cancellationToken))?.ToArray();
        }

        var (patient, id) = Document(file);
        return await ops.Documents.ExportAsync(patient, id, cancellationToken) is { } document ? JsonSerializer.SerializeToUtf8Bytes(document) : null;
    }

    /// <summary>The SHA-256 of what is stored now under the file's name, or null when nothing is.</summary>
    private async Task<string?> CurrentHashAsync(BackupFile file, CancellationToken cancellationToken)
    {
        if (IsDocument(file) || IsUploadRecord(file))
        {
            return await StoredBytesAsync(file, cancellationToken) is { } bytes ? Convert.ToHexStringLower(SHA256.HashData(bytes)) : null;
        }

        var (container, name) = Blob(file);
        return await OpsServices.Sha256Async(container.GetBlobClient(name), cancellationToken);
    }

    private async Task WriteAsync(ZipArchive zip, BackupFile file, CancellationToken cancellationToken)
    {
        await using var entry = Entry(zip, file.Path).Open();
        if (IsDocument(file))
        {
            using var buffer = new MemoryStream();
            await entry.CopyToAsync(buffer, cancellationToken);
            buffer.Position = 0;
            await ops.Documents.ImportAsync(Document(file).Patient, buffer, cancellationToken);
            return;
        }

        if (IsUploadRecord(file))
        {
            await ops.UploadRecords.ImportAsync(new UploadRecordFile(UploadRecordName(file), await BinaryData.FromStreamAsync(entry, cancellationToken)), cancellationToken);
            return;
        }

        var (container, name) = Blob(file);
        await container.GetBlobClient(name).UploadAsync(entry, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = file.ContentType, CacheControl = "private" },
            Metadata = file.Metadata?.ToDictionary(),
        }, cancellationToken);
    }

    /// <summary>Keeps what a restore is about to overwrite, beside the input, so the restore itself can be undone.</summary>
    private async Task<string> SaveOverwrittenAsync(string input, IEnumerable<BackupFile> files, CancellationToken cancellationToken)
    {
        var path = $"{input}.before-restore-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}.zip";
        await using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        foreach (var file in files)
        {
            if (IsDocument(file) || IsUploadRecord(file))
            {
                await using var entry = zip.CreateEntry(file.Path).Open();
                await entry.WriteAsync(await StoredBytesAsync(file, cancellationToken), cancellationToken);
            }
            else
            {
                var (container, name) = Blob(file);
                await BackupCommand.CopyBlobAsync(zip, container, file.Path[..file.Path.IndexOf('/', StringComparison.Ordinal)], name, cancellationToken);
            }
        }

        return path;
    }

    /// <summary>Images whose previews are not stored are sent through the normal pipeline again (ImageUploaded → Thumbnailer).</summary>
    private async Task<int> RequestMissingPreviewsAsync(ZipArchive zip, IEnumerable<BackupFile> restored, CancellationToken cancellationToken)
    {
        var requested = 0;
        foreach (var file in restored.Where(IsDocument))
        {
            await using var entry = Entry(zip, file.Path).Open();
            var doc = await JsonSerializer.DeserializeAsync<ImageDocument>(entry, DocumentSizeGuard.Json, cancellationToken);
            if (doc is not { DocType: ImageDocument.Kind, Upload: { } upload })
            {
                continue;
            }

            var imageId = Guid.Parse(doc.Id);
            var present = 0;
            foreach (var size in PreviewSize.Ready)
            {
                present += (await ops.Containers.Previews.GetBlobClient(BlobNames.Preview(doc.Patient, upload.Tooth, upload.Type, imageId, size)).ExistsAsync(cancellationToken)).Value ? 1 : 0;
            }

            if (present == PreviewSize.Ready.Count)
            {
                continue;
            }

            await Reprocessing.PublishAsync(ops.Publisher, upload, "restored", cancellationToken);
            requested++;
        }

        return requested;
    }
}

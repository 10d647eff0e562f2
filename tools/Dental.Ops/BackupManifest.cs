using System.Text.Json;

namespace Dental.Ops;

/// <summary>What a backup holds: every file with its SHA-256, and the blob properties a restore needs.</summary>
public sealed record BackupManifest(int SchemaVersion, DateTimeOffset CreatedAt, IReadOnlyList<string> Patients, BackupCounts Counts, IReadOnlyList<BackupFile> Files)
{
    // 3: catalog documents keep the file name and note beside the upload event (events carry no free text).
    // 4: patients are clinicId/patientId (blob names, document folders and the patient list carry the clinic).
    public const int CurrentSchema = 4;
    public const string EntryName = "manifest.json";
    public const string DocumentsFolder = "documents/";
    public const string UploadRecordsFolder = "upload-records/";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

/// <summary>Records: the Upload service's dedupe and idempotency records of the patients (backed up so dedupe survives a restore).</summary>
public sealed record BackupCounts(int Originals, int Previews, int Documents, int Records);

/// <summary>
/// One file of the archive: an original or preview blob ("originals/…", "previews/…"), a catalog document
/// ("documents/{patient}/{id}.json") or an Upload service record ("upload-records/…").
/// </summary>
public sealed record BackupFile(string Path, string Sha256, long SizeBytes, string? ContentType = null, IReadOnlyDictionary<string, string>? Metadata = null);

using System.Text.Json;

namespace Dental.Ops;

/// <summary>What a backup holds: every file with its SHA-256, and the blob properties a restore needs.</summary>
public sealed record BackupManifest(int SchemaVersion, DateTimeOffset CreatedAt, IReadOnlyList<string> Patients, BackupCounts Counts, IReadOnlyList<BackupFile> Files)
{
    public const int CurrentSchema = 1;
    public const string EntryName = "manifest.json";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

/// <summary>Records: the Upload service's dedupe and idempotency records kept beside the originals (backed up so dedupe survives a restore).</summary>
public sealed record BackupCounts(int Originals, int Previews, int Documents, int Records);

/// <summary>One file of the archive: an original or preview blob ("originals/…", "previews/…") or a document ("documents/{patient}/{id}.json").</summary>
public sealed record BackupFile(string Path, string Sha256, long SizeBytes, string? ContentType = null, IReadOnlyDictionary<string, string>? Metadata = null);

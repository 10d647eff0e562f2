namespace Dental.Catalog.Export;

/// <summary>
/// The last entry of a patient's export (manifest.json): what it holds, and the SHA-256 and size of every other file, so a
/// receiving system can check that nothing was lost or changed on the way.
/// </summary>
public sealed record ExportManifest(string PatientId, DateTimeOffset ExportedAt, string ExportedBy, int Images, IReadOnlyList<ExportedFile> Files)
{
    public const string EntryName = "manifest.json";
}

public sealed record ExportedFile(string Path, string Sha256, long SizeBytes);

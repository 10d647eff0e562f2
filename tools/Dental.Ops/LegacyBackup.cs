using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dental.Contracts;

namespace Dental.Ops;

/// <summary>
/// Backups written before clinics (schema 3) name patients without their clinic. The operator says which clinic they
/// belong to, and the backup is rewritten as a schema-4 backup of that clinic beside the original (every file's SHA-256
/// checked against the old manifest first): blob names and document folders get the clinic in front, Upload records move
/// from patients/… to clinics/{clinic}/patients/…, and inside documents and records every object naming a patient gets
/// the clinic, every blob name and blob path its clinic prefix, and each document its partition key.
/// </summary>
public static class LegacyBackup
{
    public const int Schema = 3;

    public static async Task<string> UpgradeAsync(string input, string clinic, CancellationToken cancellationToken)
    {
        if (!Dental.ServiceDefaults.Auth.ClinicClaims.IsValidId(clinic))
        {
            throw new ArgumentException($"'{clinic}' is not a clinic id (1–64 of letters, digits and '-').", nameof(clinic));
        }

        var output = $"{input}.{clinic}.schema{BackupManifest.CurrentSchema}.zip";
        using var source = ZipFile.OpenRead(input);
        var manifest = await ReadAsync(source, cancellationToken);
        await using var stream = File.Create(output);
        using var target = new ZipArchive(stream, ZipArchiveMode.Create);
        var files = new List<BackupFile>();
        foreach (var file in manifest.Files)
        {
            var bytes = await BytesAsync(source, file.Path, cancellationToken);
            if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != file.Sha256)
            {
                throw new InvalidDataException($"{file.Path} does not match its SHA-256 in the manifest: the backup is damaged; nothing was restored.");
            }

            var path = Path(file.Path, clinic);
            var content = file.Path.StartsWith(BackupManifest.DocumentsFolder, StringComparison.Ordinal) ? Json(bytes, clinic, document: true)
                : file.Path.StartsWith(BackupManifest.UploadRecordsFolder, StringComparison.Ordinal) ? Json(bytes, clinic, document: false)
                : bytes;
            await using (var entry = target.CreateEntry(path).Open())
            {
                await entry.WriteAsync(content, cancellationToken);
            }

            files.Add(file with { Path = path, Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)), SizeBytes = content.Length });
        }

        var upgraded = manifest with
        {
            SchemaVersion = BackupManifest.CurrentSchema,
            Patients = [.. manifest.Patients.Select(p => new PatientKey(clinic, p).Path)],
            Files = files,
        };
        await using (var entry = target.CreateEntry(BackupManifest.EntryName).Open())
        {
            await JsonSerializer.SerializeAsync(entry, upgraded, BackupManifest.Json, cancellationToken);
        }

        return output;
    }

    private static async Task<BackupManifest> ReadAsync(ZipArchive zip, CancellationToken cancellationToken)
    {
        var manifest = JsonSerializer.Deserialize<BackupManifest>(await BytesAsync(zip, BackupManifest.EntryName, cancellationToken), BackupManifest.Json)
            ?? throw new InvalidDataException("The manifest is empty.");
        return manifest.SchemaVersion == Schema
            ? manifest
            : throw new InvalidDataException($"Only backups of schema {Schema} (before clinics) are upgraded; this one is schema {manifest.SchemaVersion}.");
    }

    private static async Task<byte[]> BytesAsync(ZipArchive zip, string path, CancellationToken cancellationToken)
    {
        await using var entry = (zip.GetEntry(path) ?? throw new InvalidDataException($"The backup lacks {path}.")).Open();
        using var buffer = new MemoryStream();
        await entry.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    /// <summary>originals/… and previews/… and documents/… get the clinic after their folder; Upload records move under clinics/{clinic}/.</summary>
    private static string Path(string path, string clinic)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var (folder, rest) = (path[..(slash + 1)], path[(slash + 1)..]);
        return folder == BackupManifest.UploadRecordsFolder ? $"{folder}clinics/{clinic}/{rest}" : $"{folder}{clinic}/{rest}";
    }

    private static byte[] Json(byte[] bytes, string clinic, bool document)
    {
        var node = JsonNode.Parse(bytes) ?? throw new InvalidDataException("An empty JSON file in the backup.");
        AddClinic(node, clinic);
        if (document && node is JsonObject doc && doc["patientId"]?.GetValue<string>() is { } patient)
        {
            doc["partitionKey"] = new PatientKey(clinic, patient).Path;
        }

        return JsonSerializer.SerializeToUtf8Bytes(node);
    }

    private static void AddClinic(JsonNode? node, string clinic)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["patientId"] is JsonValue && !obj.ContainsKey("clinicId"))
                {
                    obj["clinicId"] = clinic;
                }

                foreach (var (name, value) in obj.ToList())
                {
                    if (value is JsonValue text && text.TryGetValue<string>(out var s))
                    {
                        obj[name] = name switch
                        {
                            "blobName" when !s.StartsWith(clinic + "/", StringComparison.Ordinal) => $"{clinic}/{s}",
                            "blobPath" when s.IndexOf('/', StringComparison.Ordinal) is var i and > 0 => $"{s[..(i + 1)]}{clinic}/{s[(i + 1)..]}",
                            _ => s,
                        };
                    }
                    else
                    {
                        AddClinic(value, clinic);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    AddClinic(item, clinic);
                }

                break;
        }
    }
}

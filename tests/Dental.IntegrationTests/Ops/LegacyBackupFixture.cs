using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dental.Ops;

namespace Dental.IntegrationTests.Ops;

/// <summary>
/// Rewrites a backup as the operations tool wrote it before clinics (schema 3): no clinic in blob names, document
/// folders, Upload record names or inside documents and records, and no partition key in documents.
/// </summary>
internal static class LegacyBackupFixture
{
    public static async Task<string> AsWrittenBeforeClinicsAsync(string backup, string clinic)
    {
        var output = backup + ".schema3.zip";
        using var source = ZipFile.OpenRead(backup);
        BackupManifest manifest;
        await using (var entry = source.GetEntry(BackupManifest.EntryName)!.Open())
        {
            manifest = (await JsonSerializer.DeserializeAsync<BackupManifest>(entry, BackupManifest.Json))!;
        }

        await using var stream = File.Create(output);
        using var target = new ZipArchive(stream, ZipArchiveMode.Create);
        var files = new List<BackupFile>();
        foreach (var file in manifest.Files)
        {
            using var buffer = new MemoryStream();
            await using (var entry = source.GetEntry(file.Path)!.Open())
            {
                await entry.CopyToAsync(buffer);
            }

            var path = file.Path.Replace($"clinics/{clinic}/", "", StringComparison.Ordinal).Replace($"/{clinic}/", "/", StringComparison.Ordinal);
            var bytes = file.Path.EndsWith(".json", StringComparison.Ordinal) || file.Path.StartsWith(BackupManifest.UploadRecordsFolder, StringComparison.Ordinal)
                ? WithoutClinic(buffer.ToArray(), clinic)
                : buffer.ToArray();
            await using (var entry = target.CreateEntry(path).Open())
            {
                await entry.WriteAsync(bytes);
            }

            files.Add(file with { Path = path, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), SizeBytes = bytes.Length });
        }

        var legacy = manifest with { SchemaVersion = LegacyBackup.Schema, Patients = [.. manifest.Patients.Select(p => p[(clinic.Length + 1)..])], Files = files };
        await using (var entry = target.CreateEntry(BackupManifest.EntryName).Open())
        {
            await JsonSerializer.SerializeAsync(entry, legacy, BackupManifest.Json);
        }

        return output;
    }

    private static byte[] WithoutClinic(byte[] json, string clinic)
    {
        var node = JsonNode.Parse(json)!;
        (node as JsonObject)?.Remove("partitionKey");
        Strip(node, clinic);
        return JsonSerializer.SerializeToUtf8Bytes(node);
    }

    private static void Strip(JsonNode? node, string clinic)
    {
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                Strip(item, clinic);
            }
        }

        if (node is not JsonObject obj)
        {
            return;
        }

        obj.Remove("clinicId");
        foreach (var (name, value) in obj.ToList())
        {
            if (value is JsonValue text && text.TryGetValue<string>(out var s))
            {
                obj[name] = name is "blobName" or "blobPath" ? s.Replace($"{clinic}/", "", StringComparison.Ordinal) : s;
            }
            else
            {
                Strip(value, clinic);
            }
        }
    }
}

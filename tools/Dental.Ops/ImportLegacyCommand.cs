using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Dental.Ops;

public static class ImportOutcome
{
    public const string Imported = "imported";
    public const string Duplicate = "duplicate";
    public const string Refused = "refused";
    public const string WouldImport = "would-import";
}

public sealed record ImportItem(string File, string Outcome, Guid? ImageId, string? Reason);

public sealed record LegacyFile(string Path, string RelativePath, string? Patient, string? Tooth, string? Type, string? Notation = null, string? TakenAt = null);

/// <summary>
/// Imports an old folder tree (dental_images/{patient}/{tooth}/{type}/{file}) or a flat folder with a CSV
/// mapping, through the Upload API itself, so every file meets the same validation, dedupe and naming
/// rules as a clinic's upload. Source files are only read. A journal (one JSON line per finished file)
/// makes an interrupted import resumable, and each file's Idempotency-Key makes a retried file safe.
/// </summary>
public sealed class ImportLegacyCommand(HttpClient upload)
{
    public async Task<IReadOnlyList<ImportItem>> RunAsync(string folder, string? mapping, string journal, bool dryRun, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var files = mapping is null ? FromTree(folder)
            : mapping.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FromJsonMapping(folder, mapping)
            : FromMapping(folder, mapping);
        var done = File.Exists(journal)
            ? (await File.ReadAllLinesAsync(journal, cancellationToken)).Select(l => JsonSerializer.Deserialize<ImportItem>(l, JsonSerializerOptions.Web)!).ToDictionary(i => i.File)
            : [];
        var items = new List<ImportItem>();
        foreach (var file in files)
        {
            if (done.TryGetValue(file.RelativePath, out var finished))
            {
                items.Add(finished);
                continue;
            }

            progress?.Report(file.RelativePath);
            var item = file.Patient is null || file.Tooth is null || file.Type is null
                ? new ImportItem(file.RelativePath, ImportOutcome.Refused, null, "not in the {patient}/{tooth}/{type}/{file} layout, nor in the mapping")
                : dryRun ? new ImportItem(file.RelativePath, ImportOutcome.WouldImport, null, null)
                : await UploadAsync(file, cancellationToken);
            items.Add(item);
            if (!dryRun)
            {
                await File.AppendAllTextAsync(journal, JsonSerializer.Serialize(item, JsonSerializerOptions.Web) + "\n", cancellationToken);
            }
        }

        return items;
    }

    private async Task<ImportItem> UploadAsync(LegacyFile file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file.Path);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(file.Tooth!), "tooth" },
            { new StringContent(file.Type!), "type" },
        };
        if (file.Notation is not null)
        {
            form.Add(new StringContent(file.Notation), "notation");
        }

        if (file.TakenAt is not null)
        {
            form.Add(new StringContent(file.TakenAt), "takenAt");
        }

        var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", Path.GetFileName(file.Path));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/patients/{Uri.EscapeDataString(file.Patient!)}/images") { Content = form };
        // The same file always carries the same key: a retry after an interruption returns the first answer.
        request.Headers.Add("Idempotency-Key", "legacy-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file.RelativePath))));
        using var response = await upload.SendAsync(request, cancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
        {
            var image = body.GetProperty("items")[0];
            var duplicate = image.TryGetProperty("duplicate", out var flag) && flag.GetBoolean();
            return new ImportItem(file.RelativePath, duplicate ? ImportOutcome.Duplicate : ImportOutcome.Imported, image.GetProperty("id").GetGuid(), null);
        }

        if ((int)response.StatusCode is >= 400 and < 500)
        {
            var reason = body.TryGetProperty("detail", out var detail) ? detail.GetString() : response.StatusCode.ToString();
            return new ImportItem(file.RelativePath, ImportOutcome.Refused, null, reason);
        }

        // Server-side trouble: not journaled, so the next run tries this file again.
        throw new HttpRequestException($"{file.RelativePath}: the upload service answered {(int)response.StatusCode}; run the import again to resume.");
    }

    private static IEnumerable<LegacyFile> FromTree(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(path =>
        {
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            var parts = relative.Split('/');
            return parts.Length == 4
                ? new LegacyFile(path, relative, parts[0], parts[1], parts[2])
                : new LegacyFile(path, relative, null, null, null);
        });

    /// <summary>A flat folder with a JSON mapping: [{ "file", "patient", "tooth", "type", "notation"?, "takenAt"? }, …].</summary>
    private static IEnumerable<LegacyFile> FromJsonMapping(string folder, string mapping) =>
        JsonSerializer.Deserialize<List<JsonMappingRow>>(File.ReadAllText(mapping), JsonSerializerOptions.Web)!
            .Select(r => new LegacyFile(Path.Combine(folder, r.File), r.File, r.Patient, r.Tooth, r.Type, r.Notation, r.TakenAt));

    private sealed record JsonMappingRow(string File, string? Patient, string? Tooth, string? Type, string? Notation, string? TakenAt);

    /// <summary>A flat folder with a CSV mapping: file,patient,tooth,type[,notation[,takenAt]] (a header line is expected).</summary>
    private static IEnumerable<LegacyFile> FromMapping(string folder, string mapping) =>
        File.ReadLines(mapping).Skip(1).Where(l => l.Trim().Length > 0).Select(line =>
        {
            var cells = line.Split(',').Select(c => c.Trim()).ToArray();
            string? Cell(int i) => cells.Length > i && cells[i].Length > 0 ? cells[i] : null;
            return new LegacyFile(Path.Combine(folder, cells[0]), cells[0], Cell(1), Cell(2), Cell(3), Cell(4), Cell(5));
        });
}

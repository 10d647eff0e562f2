using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dental.Client;
using Dental.Client.Models;
using Microsoft.Kiota.Abstractions;

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
public sealed class ImportLegacyCommand(DentalApi api)
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
        DateTimeOffset? takenAt = null;
        if (file.TakenAt is not null)
        {
            if (!DateTimeOffset.TryParse(file.TakenAt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return new ImportItem(file.RelativePath, ImportOutcome.Refused, null, $"takenAt '{file.TakenAt}' is not a date and time");
            }

            takenAt = parsed;
        }

        // The same file always carries the same key: a retry after an interruption returns the first answer.
        var upload = new ImageUpload(file.Tooth!, file.Type!)
        {
            Notation = file.Notation,
            TakenAt = takenAt,
            IdempotencyKey = "legacy-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file.RelativePath))),
        };
        await using var stream = File.OpenRead(file.Path);
        try
        {
            var answer = await api.UploadAsync(file.Patient!, upload, [new UploadFile(stream, Path.GetFileName(file.Path), "application/octet-stream")], cancellationToken);
            var image = answer.Items![0];
            return new ImportItem(file.RelativePath, image.Duplicate == true ? ImportOutcome.Duplicate : ImportOutcome.Imported, image.Id, null);
        }
        catch (ApiException ex) when (ex.ResponseStatusCode is >= 400 and < 500)
        {
            return new ImportItem(file.RelativePath, ImportOutcome.Refused, null, (ex as ProblemDetails)?.Detail ?? $"answered {ex.ResponseStatusCode}");
        }
        catch (ApiException ex)
        {
            // Server-side trouble: not journaled, so the next run tries this file again.
            throw new HttpRequestException($"{file.RelativePath}: the upload service answered {ex.ResponseStatusCode}; run the import again to resume.", ex);
        }
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

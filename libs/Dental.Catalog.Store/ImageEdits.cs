using System.Text.Json;
using System.Text.RegularExpressions;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.Contracts.Events;

namespace Dental.Catalog.Store;

/// <summary>What an edit asks that cannot be done, naming the field.</summary>
public sealed record EditRefusal(string Field, string Detail);

/// <summary>The outcome of an edit: the changed document (the same instance when nothing changed), or why it was refused.</summary>
public sealed record EditOutcome(ImageDocument? Document, EditRefusal? Refusal, bool Corrects)
{
    public static EditOutcome Refused(string field, string detail) => new(null, new EditRefusal(field, detail), false);
}

/// <summary>
/// A JSON merge patch (RFC 7396) of an image's record: tags, metadata and note, and corrections of tooth (with notation), type and
/// taken time. Pure: it validates everything, computes the next document and the change history, and writes nothing.
/// </summary>
public static partial class ImageEdits
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 32;
    public const int MaxMetadataEntries = 20;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 256;
    public const int MaxNoteLength = 2000;
    public const int MaxChanges = 100;

    private static readonly HashSet<string> Fields = ["tags", "metadata", "note", "tooth", "notation", "type", "takenAt"];

    [GeneratedRegex("^[a-z0-9][a-z0-9._:-]*$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex KeyPattern();

    public static EditOutcome Apply(ImageDocument doc, JsonElement patch, string by, DateTimeOffset at)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return EditOutcome.Refused("body", "The body must be a JSON object (a merge patch).");
        }

        foreach (var property in patch.EnumerateObject())
        {
            if (!Fields.Contains(property.Name))
            {
                return EditOutcome.Refused(property.Name, $"Only these fields can be changed: {string.Join(", ", Fields)}.");
            }
        }

        var tags = doc.Tags ?? [];
        if (patch.TryGetProperty("tags", out var tagsValue) && (tags = Tags(tagsValue)!) is null)
        {
            return EditOutcome.Refused("tags", $"tags must be an array of at most {MaxTags} strings of 1–{MaxTagLength} lower-case letters, digits and . _ : - " +
                "(starting with a letter or digit), or null.");
        }

        var metadata = doc.Metadata ?? [];
        if (patch.TryGetProperty("metadata", out var metadataValue) && (metadata = Merged(doc.Metadata, metadataValue)!) is null)
        {
            return EditOutcome.Refused("metadata", $"metadata must be an object of at most {MaxMetadataEntries} entries: keys of 1–{MaxMetadataKeyLength} letters, " +
                $"digits and . _ - (starting with a letter or digit), values strings of at most {MaxMetadataValueLength} characters, or null to remove a key " +
                "(null for the whole object removes every key).");
        }

        var note = doc.Text?.Note ?? "";
        if (patch.TryGetProperty("note", out var noteValue) && (note = Note(noteValue)!) is null)
        {
            return EditOutcome.Refused("note", $"note must be a string of at most {MaxNoteLength} characters, or null.");
        }

        if (Corrected(doc.Upload!, patch) is { Refusal: { } refusal })
        {
            return new EditOutcome(null, refusal, false);
        }

        var corrected = Corrected(doc.Upload!, patch).Upload!;
        var changes = Changes(doc, tags, metadata, note, corrected);
        if (changes.Count == 0)
        {
            return new EditOutcome(doc, null, false);
        }

        var next = doc with
        {
            Tags = tags.Count > 0 ? tags : null,
            Metadata = metadata.Count > 0 ? metadata : null,
            Text = (doc.Text ?? ImageText.None) with { Note = note.Length > 0 ? note : null },
            Changes = [.. (doc.Changes ?? []).Concat(changes.Select(c => c with { At = at, By = by })).TakeLast(MaxChanges)],
        };
        var corrects = corrected != doc.Upload;
        return new EditOutcome(
            corrects
                ? next with
                {
                    Upload = corrected,
                    SortKey = ImageDocumentReducer.SortKeyOf(corrected),
                    Correction = new PendingCorrection(Guid.NewGuid(), doc.Upload!.Tooth, doc.Upload.Type, at),
                }
                : next,
            null,
            corrects);
    }

    /// <summary>What changed, field by field; the note and metadata values are free text and are not repeated in the history.</summary>
    private static List<ImageChange> Changes(ImageDocument doc, List<string> tags, Dictionary<string, string> metadata, string note, ImageUploaded corrected)
    {
        var changes = new List<ImageChange>();
        var upload = doc.Upload!;
        void Compare(string field, string? from, string? to, bool quiet = false)
        {
            if (from != to)
            {
                changes.Add(new ImageChange(default, "", field, quiet ? null : from, quiet ? null : to));
            }
        }

        Compare("tooth", upload.Tooth, corrected.Tooth);
        Compare("notation", upload.Notation, corrected.Notation);
        Compare("type", upload.Type, corrected.Type);
        Compare("takenAt", upload.TakenAt?.ToString("O"), corrected.TakenAt?.ToString("O"));
        Compare("tags", string.Join(", ", doc.Tags ?? []), string.Join(", ", tags));
        var current = doc.Metadata ?? [];
        foreach (var key in current.Keys.Union(metadata.Keys).Order(StringComparer.Ordinal))
        {
            Compare($"metadata.{key}", current.GetValueOrDefault(key), metadata.GetValueOrDefault(key), quiet: true);
        }

        Compare("note", doc.Text?.Note ?? "", note, quiet: true);
        return changes;
    }

    /// <summary>The tags, lower-cased, without repeats, in the order given (none for null); null when they break the rules.</summary>
    private static List<string>? Tags(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > MaxTags)
        {
            return null;
        }

        var tags = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            var tag = item.ValueKind == JsonValueKind.String ? item.GetString()!.Trim().ToLowerInvariant() : null;
            if (tag is not { Length: > 0 and <= MaxTagLength } || !TagPattern().IsMatch(tag))
            {
                return null;
            }

            if (!tags.Contains(tag))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    /// <summary>RFC 7396 for one level: a key set to null goes, a string replaces; null for the object clears it. Null when it breaks the rules.</summary>
    private static Dictionary<string, string>? Merged(Dictionary<string, string>? current, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var merged = new Dictionary<string, string>(current ?? [], StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Name.Length is 0 or > MaxMetadataKeyLength || !KeyPattern().IsMatch(entry.Name))
            {
                return null;
            }

            switch (entry.Value.ValueKind)
            {
                case JsonValueKind.Null:
                    merged.Remove(entry.Name);
                    break;
                case JsonValueKind.String when entry.Value.GetString()!.Length <= MaxMetadataValueLength:
                    merged[entry.Name] = entry.Value.GetString()!;
                    break;
                default:
                    return null;
            }
        }

        return merged.Count <= MaxMetadataEntries ? merged : null;
    }

    /// <summary>The note ("" for none), or null when it breaks the rules.</summary>
    private static string? Note(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.String when value.GetString()!.Trim() is { Length: <= MaxNoteLength } note => note,
        _ => null,
    };

    /// <summary>The upload's facts with the patch's corrections of tooth (in its notation), type and taken time, or why one is refused.</summary>
    private static (ImageUploaded? Upload, EditRefusal? Refusal) Corrected(ImageUploaded upload, JsonElement patch)
    {
        var corrected = upload;
        var hasNotation = patch.TryGetProperty("notation", out var notation);
        if (patch.TryGetProperty("tooth", out var toothValue))
        {
            var notationName = !hasNotation ? ToothNotation.Fdi : notation.ValueKind == JsonValueKind.String ? notation.GetString()!.ToLowerInvariant() : "";
            if (notationName is not (ToothNotation.Fdi or ToothNotation.Universal))
            {
                return (null, new EditRefusal("notation", "notation must be fdi or universal."));
            }

            if (toothValue.ValueKind != JsonValueKind.String || !Tooth.TryParse(toothValue.GetString(), notationName, out var tooth))
            {
                return (null, new EditRefusal("tooth", notationName == ToothNotation.Universal
                    ? "tooth must be a Universal number 1–32 or letter A–T, or a region: full, upper, lower, q1–q4."
                    : "tooth must be an FDI tooth (11–48, 51–85) or a region: full, upper, lower, q1–q4."));
            }

            corrected = corrected with { Tooth = tooth.Value.Code, Notation = notationName };
        }
        else if (hasNotation)
        {
            return (null, new EditRefusal("notation", "notation says how tooth is written: send it with tooth."));
        }

        if (patch.TryGetProperty("type", out var typeValue))
        {
            if (typeValue.ValueKind != JsonValueKind.String || !ImageType.TryParse(typeValue.GetString(), out var type))
            {
                return (null, new EditRefusal("type", $"type must be one of: {string.Join(", ", ImageType.All)}."));
            }

            corrected = corrected with { Type = type };
        }

        if (patch.TryGetProperty("takenAt", out var takenValue))
        {
            if (takenValue.ValueKind == JsonValueKind.Null)
            {
                corrected = corrected with { TakenAt = null };
            }
            else if (takenValue.ValueKind == JsonValueKind.String && takenValue.TryGetDateTimeOffset(out var takenAt))
            {
                corrected = corrected with { TakenAt = takenAt.ToUniversalTime() };
            }
            else
            {
                return (null, new EditRefusal("takenAt", "takenAt must be an ISO 8601 date and time with its offset, or null."));
            }
        }

        return (corrected, null);
    }
}

using System.Globalization;
using System.Text;
using Dental.Contracts;
using Dental.Contracts.Events;
using Dental.Upload.Store;

namespace Dental.Upload.Validation;

/// <summary>The form fields that describe every file of one upload request, validated.</summary>
public sealed record UploadFields(string Tooth, string Notation, string Type, DateTimeOffset? TakenAt, string? Note, VariantFacts? Variant = null)
{
    /// <summary>
    /// The fields of a variant upload: tooth, type and notation are its original's; the form gives <c>kind</c>, optionally
    /// <c>takenAt</c> and <c>note</c>, and for an integration (<paramref name="target"/> says so) <c>model</c> and <c>modelVersion</c>,
    /// which name the producer.
    /// </summary>
    public static UploadFields ParseVariant(IReadOnlyDictionary<string, string> form, VariantTarget target, int maxNoteLength)
    {
        var kind = form.GetValueOrDefault("kind")?.Trim().ToLowerInvariant() ?? throw Reject(UploadRejection.Missing("kind"));
        if (!VariantKind.All.Contains(kind))
        {
            throw Reject(UploadRejection.Invalid("kind", $"kind must be one of: {string.Join(", ", VariantKind.All)}."));
        }

        var producer = target.Uploader;
        if (target.ByModel)
        {
            var model = Producer(form, "model");
            var version = Producer(form, "modelVersion");
            producer = $"{model} {version}";
        }

        var common = Parse(new Dictionary<string, string>(form.Where(f => f.Key is "takenAt" or "note"))
        {
            ["tooth"] = target.Tooth,
            ["type"] = target.Type,
        }, maxNoteLength);
        return common with { Notation = target.Notation, Variant = new VariantFacts(target.OriginalId, kind, producer) };
    }

    private static string Producer(IReadOnlyDictionary<string, string> form, string field) =>
        form.GetValueOrDefault(field)?.Trim() is { Length: > 0 and <= 64 } value && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
            ? value
            : throw Reject(UploadRejection.Invalid(field, $"An integration names the {field} that produced the variant: 1–64 letters, digits and . - _."));

    public static UploadFields Parse(IReadOnlyDictionary<string, string> form, int maxNoteLength)
    {
        var notation = form.GetValueOrDefault("notation")?.Trim().ToLowerInvariant() ?? ToothNotation.Fdi;
        if (notation is not (ToothNotation.Fdi or ToothNotation.Universal))
        {
            throw Reject(UploadRejection.Invalid("notation", "notation must be 'fdi' or 'universal'."));
        }

        var toothText = form.GetValueOrDefault("tooth") ?? throw Reject(UploadRejection.Missing("tooth"));
        if (!Contracts.Tooth.TryParse(toothText, notation, out var tooth))
        {
            throw Reject(UploadRejection.Invalid("tooth", notation == ToothNotation.Fdi
                ? "tooth must be an FDI tooth (11–18, 21–28, 31–38, 41–48, primary 51–55 … 81–85) or a region (full, upper, lower, q1–q4)."
                : "tooth must be a Universal tooth (1–32, primary A–T) or a region (full, upper, lower, q1–q4)."));
        }

        var typeText = form.GetValueOrDefault("type") ?? throw Reject(UploadRejection.Missing("type"));
        if (!ImageType.TryParse(typeText, out var type))
        {
            throw Reject(UploadRejection.Invalid("type", $"type must be one of: {string.Join(", ", ImageType.All)}."));
        }

        DateTimeOffset? takenAt = null;
        if (form.GetValueOrDefault("takenAt") is { Length: > 0 } takenText)
        {
            if (!DateTimeOffset.TryParse(takenText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                throw Reject(UploadRejection.Invalid("takenAt", "takenAt must be an ISO 8601 date and time."));
            }

            takenAt = parsed.ToUniversalTime();
        }

        var note = form.GetValueOrDefault("note");
        if (note?.Length > maxNoteLength || (note is not null && Encoding.UTF8.GetByteCount(note) > OriginalMetadata.MaxNoteBytes))
        {
            throw Reject(UploadRejection.Invalid("note", $"note must be at most {maxNoteLength} characters and {OriginalMetadata.MaxNoteBytes} bytes in UTF-8."));
        }

        return new UploadFields(tooth.Value.Code, notation, type, takenAt, string.IsNullOrWhiteSpace(note) ? null : note);
    }

    private static UploadRejectedException Reject(UploadRejection rejection) => new(rejection);
}

/// <summary>The original a variant upload attaches to, as the Catalog has it, and who uploads it.</summary>
public sealed record VariantTarget(Guid OriginalId, string Tooth, string Notation, string Type, string Uploader, bool ByModel);

using System.Globalization;
using System.Text;
using Dental.Contracts;
using Dental.Upload.Store;

namespace Dental.Upload.Validation;

/// <summary>The form fields that describe every file of one upload request, validated.</summary>
public sealed record UploadFields(string Tooth, string Notation, string Type, DateTimeOffset? TakenAt, string? Note)
{
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

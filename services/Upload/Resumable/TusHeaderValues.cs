using System.Globalization;
using System.Text;
using Dental.Upload.Validation;

namespace Dental.Upload.Resumable;

/// <summary>Reads the tus request headers that carry values (Upload-Metadata, lengths and offsets); malformed ones are refused.</summary>
public static class TusHeaderValues
{
    private const int MaxMetadataPairs = 16;

    /// <summary>
    /// Upload-Metadata ("key base64value,key base64value") as the upload form's fields; <c>filename</c> is the file's
    /// name, <c>filetype</c> is ignored (the format is judged by content). Malformed metadata is refused.
    /// </summary>
    public static (Dictionary<string, string> Fields, string? FileName) ParseMetadata(string? header)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? fileName = null;
        if (string.IsNullOrWhiteSpace(header))
        {
            return (fields, null);
        }

        var pairs = header.Split(',');
        if (pairs.Length > MaxMetadataPairs)
        {
            throw Malformed($"Upload-Metadata may carry at most {MaxMetadataPairs} keys.");
        }

        foreach (var pair in pairs)
        {
            var parts = pair.Trim().Split(' ');
            if (parts.Length > 2 || parts[0].Length == 0 || !parts[0].All(char.IsAsciiLetterOrDigit))
            {
                throw Malformed("Upload-Metadata must be comma-separated pairs of a key and its base64 value.");
            }

            string value;
            try
            {
                value = parts.Length == 2 ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(parts[1])) : "";
            }
            catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
            {
                throw Malformed($"The value of '{parts[0]}' in Upload-Metadata is not base64-encoded UTF-8.");
            }

            if (parts[0].Equals("filename", StringComparison.OrdinalIgnoreCase))
            {
                fileName = FileNames.WithoutDirectory(value);
            }
            else if (!parts[0].Equals("filetype", StringComparison.OrdinalIgnoreCase) && !fields.TryAdd(parts[0], value))
            {
                throw Malformed($"'{parts[0]}' appears twice in Upload-Metadata.");
            }
        }

        return (fields, fileName);
    }

    /// <summary>A header's value as a non-negative number, or null when it is absent; refused when it is not one.</summary>
    public static long? ParseLength(string? value, string header) =>
        value is null ? null
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : throw Malformed($"{header} must be a non-negative integer.");

    public static UploadRejectedException Malformed(string detail) =>
        new(new UploadRejection(StatusCodes.Status400BadRequest, Contracts.Api.ProblemTypes.MalformedRequest, "Malformed request", null, detail));
}

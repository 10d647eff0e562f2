using System.Globalization;

namespace Dental.Audit;

/// <summary>
/// Where records live: <c>{clinicId}/{yyyy-MM}/{dd}T{HH}/{writer}-{segment}.jsonl</c>, one append blob per writing process,
/// clinic and hour (UTC), so a clinic's query lists only its own prefix and only the months it asks for. Records of callers
/// without a clinic (refusals of invalid tokens) go under <see cref="PlatformScope"/>, which no clinic id can spell.
/// </summary>
public static class AuditBlobNames
{
    public const string PlatformScope = "_platform";

    public static string Scope(string? clinicId) => clinicId ?? PlatformScope;

    public static string MonthPrefix(string scope, DateTimeOffset time) =>
        $"{scope}/{time.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture)}/";

    public static string HourFolder(string scope, DateTimeOffset time) =>
        $"{MonthPrefix(scope, time)}{time.UtcDateTime.ToString("dd'T'HH", CultureInfo.InvariantCulture)}/";

    public static string Blob(string scope, DateTimeOffset time, string writer, int segment) =>
        $"{HourFolder(scope, time)}{writer}-{segment.ToString("D3", CultureInfo.InvariantCulture)}.jsonl";

    /// <summary>The start of the hour a blob's folder names, or null for a name this layout did not write.</summary>
    public static DateTimeOffset? HourOf(string blobName)
    {
        var parts = blobName.Split('/');
        return parts.Length == 4 && DateTimeOffset.TryParseExact($"{parts[1]}-{parts[2]}", "yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var hour)
            ? hour
            : null;
    }
}

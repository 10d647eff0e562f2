using System.Globalization;
using System.Text;
using Dental.Catalog.Store;
using Dental.Contracts;
using Microsoft.Azure.Cosmos;

namespace Dental.Catalog.Api;

/// <summary>A page of one patient's images: a single-partition query, newest first, filtered in Cosmos DB.</summary>
/// <remarks>Variants are listed with their originals, not as images, unless <see cref="IncludeVariants"/> (exports).</remarks>
public sealed record ImageQuery(
    PatientKey Patient, string? Tooth, string? Type, IReadOnlyList<string> Tags, DateTimeOffset? From, DateTimeOffset? To, bool IncludeDeleted, bool IncludeVariants = false)
{
    public QueryDefinition ToDefinition()
    {
        var sql = new StringBuilder("SELECT * FROM c WHERE c.partitionKey = @partition AND c.docType = @kind AND IS_DEFINED(c.upload)");
        if (!IncludeVariants)
        {
            sql.Append(" AND NOT IS_DEFINED(c.upload.variant)");
        }

        if (!IncludeDeleted)
        {
            sql.Append(" AND (NOT IS_DEFINED(c.deletedAt) OR IS_NULL(c.deletedAt))");
        }

        if (Tooth is not null)
        {
            sql.Append(" AND c.upload.tooth = @tooth");
        }

        if (Type is not null)
        {
            sql.Append(" AND c.upload.type = @type");
        }

        for (var i = 0; i < Tags.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND ARRAY_CONTAINS(c.tags, @tag{i})");
        }

        if (From is not null)
        {
            sql.Append(" AND c.sortKey >= @from");
        }

        if (To is not null)
        {
            sql.Append(" AND c.sortKey < @to");
        }

        sql.Append(" ORDER BY c.sortKey DESC");
        var query = new QueryDefinition(sql.ToString());
        for (var i = 0; i < Tags.Count; i++)
        {
            query = query.WithParameter($"@tag{i}", Tags[i]);
        }

        return query
            .WithParameter("@partition", Patient.Path)
            .WithParameter("@kind", ImageDocument.Kind)
            .WithParameter("@tooth", Tooth)
            .WithParameter("@type", Type)
            .WithParameter("@from", SortKeyPrefix(From))
            .WithParameter("@to", SortKeyPrefix(To));
    }

    private static string? SortKeyPrefix(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    /// <summary>The SDK's continuation token, wrapped so clients treat it as opaque.</summary>
    public static string? EncodeToken(string? token) =>
        token is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(token)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecodeToken(string? encoded, out string? token)
    {
        token = null;
        if (string.IsNullOrEmpty(encoded))
        {
            return true;
        }

        var base64 = encoded.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return false;
        }

        token = Encoding.UTF8.GetString(bytes, 0, written);
        return true;
    }
}

using Dental.Contracts;
using Microsoft.Azure.Cosmos;

namespace Dental.Catalog.Store;

/// <summary>One visible image as the chart counts it (variants are not images of their own).</summary>
public sealed record ChartEntry(string Tooth, string Type, DateTimeOffset UploadedAt);

/// <summary>
/// The patient's dental chart: visible images per tooth and type. Computed from the image documents each
/// time it is asked for, so it is exact by construction (nothing to keep in step, nothing to double count).
/// Counted here, not in Cosmos DB: the local emulator has no aggregates.
/// </summary>
public sealed record PatientChart(int Total, IReadOnlyDictionary<string, Dictionary<string, int>> Teeth, DateTimeOffset? LastUploadAt)
{
    /// <summary>Pages as large as the service allows (up to 4 MB): a row is a few dozen bytes, so even 10 000 images come back in one or two pages.</summary>
    public const int PageSize = -1;

    public static QueryDefinition Query(PatientKey patient) => new QueryDefinition(
            "SELECT c.upload.tooth AS tooth, c.upload.type AS type, c.upload.uploadedAt AS uploadedAt FROM c " +
            "WHERE c.partitionKey = @partition AND c.docType = @kind AND IS_DEFINED(c.upload) AND NOT IS_DEFINED(c.upload.variant) " +
            "AND (NOT IS_DEFINED(c.deletedAt) OR IS_NULL(c.deletedAt))")
        .WithParameter("@partition", patient.Path)
        .WithParameter("@kind", ImageDocument.Kind);

    public static PatientChart Count(IEnumerable<ChartEntry> entries)
    {
        var teeth = new SortedDictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var total = 0;
        DateTimeOffset? last = null;
        foreach (var entry in entries)
        {
            var types = teeth.TryGetValue(entry.Tooth, out var existing) ? existing : teeth[entry.Tooth] = [];
            types[entry.Type] = types.GetValueOrDefault(entry.Type) + 1;
            total++;
            last = last is null || entry.UploadedAt > last ? entry.UploadedAt : last;
        }

        return new PatientChart(total, new Dictionary<string, Dictionary<string, int>>(teeth), last);
    }
}

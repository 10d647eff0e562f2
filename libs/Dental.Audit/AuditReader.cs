using System.Text.Json;
using Azure.Storage.Blobs.Models;

namespace Dental.Audit;

public sealed record AuditPage(IReadOnlyList<AuditRecord> Items, string? ContinuationToken);

/// <summary>Reads a clinic's audit trail: lists only its prefix and the months asked for, then reads hour by hour, newest first.</summary>
public sealed class AuditReader(AuditStore store)
{
    public async Task<AuditPage> PageAsync(AuditQuery query, AuditCursor? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var found = new List<AuditRecord>();
        var hours = await HoursAsync(query, cursor?.Time ?? query.To, cancellationToken);
        var read = 0;
        foreach (var hour in hours)
        {
            // A page ends on an hour boundary: the records of one hour come from several writers in no order.
            if (found.Count >= pageSize)
            {
                break;
            }

            found.AddRange((await ReadAsync(hour.Blobs, cancellationToken)).Where(r => query.Matches(r) && (cursor is null || cursor.IsAfter(r))));
            read++;
        }

        found.Sort(AuditCursor.Order.NewestFirst);
        var page = found.Take(pageSize).ToList();
        var more = found.Count > pageSize || (read < hours.Count && page.Count > 0);
        return new AuditPage(page, more ? new AuditCursor(page[^1].Time, page[^1].Id).Encode() : null);
    }

    /// <summary>Every record of the query, oldest first (for reports over a bounded span).</summary>
    public async Task<IReadOnlyList<AuditRecord>> AllAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var all = new List<AuditRecord>();
        foreach (var hour in await HoursAsync(query, query.To, cancellationToken))
        {
            all.AddRange((await ReadAsync(hour.Blobs, cancellationToken)).Where(query.Matches));
        }

        all.Sort((a, b) => AuditCursor.Order.NewestFirst(b, a));
        return all;
    }

    private sealed record Hour(DateTimeOffset Start, List<string> Blobs);

    /// <summary>The hours between the query's start and <paramref name="upTo"/> that have records, newest first.</summary>
    private async Task<List<Hour>> HoursAsync(AuditQuery query, DateTimeOffset upTo, CancellationToken cancellationToken)
    {
        var firstHour = Truncate(query.From);
        var lastHour = Truncate(upTo);
        var hours = new Dictionary<DateTimeOffset, Hour>();
        for (var month = new DateTimeOffset(lastHour.Year, lastHour.Month, 1, 0, 0, 0, TimeSpan.Zero);
             month >= new DateTimeOffset(firstHour.Year, firstHour.Month, 1, 0, 0, 0, TimeSpan.Zero);
             month = month.AddMonths(-1))
        {
            var prefix = AuditBlobNames.MonthPrefix(query.ClinicId, month);
            await foreach (var blob in store.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
            {
                if (AuditBlobNames.HourOf(blob.Name) is { } hour && hour >= firstHour && hour <= lastHour)
                {
                    (hours.TryGetValue(hour, out var known) ? known : hours[hour] = new Hour(hour, [])).Blobs.Add(blob.Name);
                }
            }
        }

        return [.. hours.Values.OrderByDescending(h => h.Start)];
    }

    private async Task<List<AuditRecord>> ReadAsync(IEnumerable<string> blobs, CancellationToken cancellationToken)
    {
        var records = new List<AuditRecord>();
        foreach (var name in blobs)
        {
            var content = await store.Container.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            foreach (var line in content.Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                records.Add(JsonSerializer.Deserialize<AuditRecord>(line, AuditTrail.Json)!);
            }
        }

        return records;
    }

    private static DateTimeOffset Truncate(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}

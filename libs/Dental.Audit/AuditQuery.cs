using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Dental.Audit;

/// <summary>What an audit query asks for, inside one clinic: newest first, within [From, To], optionally one patient, actor or action.</summary>
public sealed record AuditQuery(string ClinicId, DateTimeOffset From, DateTimeOffset To, string? PatientId, string? Actor, string? Action)
{
    public bool Matches(AuditRecord record) =>
        record.Time >= From && record.Time <= To
        && (PatientId is null || record.PatientId == PatientId)
        && (Actor is null || record.Actor == Actor)
        && (Action is null || record.Action == Action);
}

/// <summary>Where the previous page ended: records strictly older than (Time, Id) come next.</summary>
public sealed record AuditCursor(DateTimeOffset Time, string Id)
{
    public bool IsAfter(AuditRecord record) => Order.Compare(record, Time, Id) < 0;

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Time.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{Id}"));

    public static bool TryDecode(string? token, out AuditCursor? cursor)
    {
        cursor = null;
        if (token is null)
        {
            return true;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParse(parts[1], out _))
            {
                cursor = new AuditCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1]);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }

    /// <summary>Newest first, then by id (version 7 ids grow with time), so the order is total and stable between pages.</summary>
    public static class Order
    {
        public static int Compare(AuditRecord record, DateTimeOffset time, string id)
        {
            var byTime = record.Time.CompareTo(time);
            return byTime != 0 ? byTime : string.CompareOrdinal(record.Id, id);
        }

        public static int NewestFirst(AuditRecord a, AuditRecord b) => -Compare(a, b.Time, b.Id);
    }
}

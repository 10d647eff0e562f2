using System.ComponentModel.DataAnnotations;

namespace Dental.Audit;

public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>
    /// Off only to measure what the audit trail costs (the benchmark); a service started with it off says so in its log.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The audit store's Blob endpoint. In Azure it is its own storage account (immutable for the retention period, apart from
    /// patient data so that immutability never blocks an erasure); unset, the platform's storage account is used (local runs).
    /// </summary>
    public Uri? BlobServiceUri { get; set; }

    [Required]
    [RegularExpression("^[a-z0-9-]{3,63}$")]
    public string Container { get; set; } = "audit";

    /// <summary>At most this many records go into one append (one group commit).</summary>
    [Range(1, 10_000)]
    public int MaxBatchRecords { get; set; } = 1_000;

    /// <summary>The gateway writes each minute's refusal counts once the minute is over, checking this often.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan RefusalFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A query reads at most this span of time when it names no start (and a report at most <see cref="MaxQuerySpan"/>).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3660.00:00:00")]
    public TimeSpan DefaultQuerySpan { get; set; } = TimeSpan.FromDays(90);

    [Range(typeof(TimeSpan), "1.00:00:00", "3660.00:00:00")]
    public TimeSpan MaxQuerySpan { get; set; } = TimeSpan.FromDays(366);
}

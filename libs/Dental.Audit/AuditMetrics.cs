using System.Diagnostics.Metrics;

namespace Dental.Audit;

/// <summary>What the audit trail writes: records and group commits (their size and time), for the dashboard and the benchmark.</summary>
internal static class AuditMetrics
{
    public const string MeterName = "Dental.Audit";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Records = Meter.CreateCounter<long>("dental.audit.records", description: "Audit records stored.");
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("dental.audit.batch.size", description: "Records per group commit.");
    private static readonly Histogram<double> CommitTime = Meter.CreateHistogram<double>("dental.audit.commit.duration", unit: "s", description: "Time of one group commit.");

    public static void Committed(int records, TimeSpan elapsed)
    {
        Records.Add(records);
        BatchSize.Record(records);
        CommitTime.Record(elapsed.TotalSeconds);
    }
}

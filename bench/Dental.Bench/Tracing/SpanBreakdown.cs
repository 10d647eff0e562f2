using System.Globalization;
using Dental.Contracts.Events;

namespace Dental.Bench.Tracing;

/// <summary>
/// Where the time of one image goes, from its trace: every upload's trace is laid on one clock starting where the gateway
/// received the upload, and each kind of span is summarised over the traces by when it first starts and how long all of
/// its kind in one trace last together. A span is named by the step it belongs to (the request served or event handled
/// it is part of), so one image's two downloads, say, are told apart.
/// </summary>
internal static class SpanBreakdown
{
    private static readonly string[] CatalogFinishes = [$"process {PreviewsReady.EventType}", $"process {ImageRejected.EventType}"];

    /// <summary>The spans of each of the given traces that were exported.</summary>
    public static Dictionary<string, List<ExportedSpan>> Traces(IEnumerable<ExportedSpan> spans, ICollection<string> traceIds)
    {
        var wanted = traceIds.ToHashSet();
        return spans.Where(s => wanted.Contains(s.TraceId)).GroupBy(s => s.TraceId).ToDictionary(g => g.Key, g => g.ToList());
    }

    /// <summary>For each trace whose image the catalog has finished (ready, or failed): when it finished, in Unix nanoseconds.</summary>
    public static Dictionary<string, (long At, bool Failed)> CatalogDone(IEnumerable<ExportedSpan> spans, ICollection<string> traceIds) =>
        Traces(spans, traceIds)
            .Select(trace => (trace.Key, Finish: trace.Value
                .Where(s => s.Service == "catalog" && s.Kind == SpanKind.Consumer && CatalogFinishes.Contains(s.Name))
                .MinBy(s => s.EndNanos)))
            .Where(t => t.Finish is not null)
            .ToDictionary(t => t.Key, t => (t.Finish!.EndNanos, t.Finish.Name == CatalogFinishes[1]));

    public static IReadOnlyList<Figure> Print(IReadOnlyList<ExportedSpan> spans, ICollection<string> traceIds, string label)
    {
        var traces = Traces(spans, traceIds).Values
            .Select(trace => (Root: trace.Where(s => s.Service == "gateway" && s.Kind == SpanKind.Server).MinBy(s => s.StartNanos), Spans: trace))
            .Where(trace => trace.Root is not null)
            .ToList();
        Console.WriteLine($"span breakdown over {traces.Count} upload traces; ms from the gateway receiving the upload (per image: spans of the kind in one trace):");
        Console.WriteLine($"  {"p50 start",9} {"p50 dur",8} {"p95 dur",8} {"per img",7}  service: step > kind name");
        var rows = traces
            .SelectMany(trace => PerTrace(trace.Root!, trace.Spans))
            .GroupBy(row => row.Key)
            .Where(group => group.Count() * 2 >= traces.Count)
            .Select(group => (
                group.Key,
                PerImage: group.Sum(r => r.Count) / (double)traces.Count,
                Start: Median(group.Select(r => r.Start)),
                Duration: Median(group.Select(r => r.Duration)),
                Duration95: Figure.Percentile([.. group.Select(r => r.Duration).Order()], 95)))
            .OrderBy(row => row.Start)
            .ToList();
        foreach (var row in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {row.Start,9:F1} {row.Duration,8:F1} {row.Duration95,8:F1} {row.PerImage,7:F1}  {row.Key.Service}: {row.Key.Step} > {row.Key.Kind} {row.Key.Name}"));
        }

        // The figures keep the steps themselves (requests served, events handled): when each starts and how long it takes.
        return rows.Where(row => row.Key.Step == row.Key.Name && row.Key.Kind is SpanKind.Server or SpanKind.Consumer)
            .Select(row => new Figure($"{label} trace: {row.Key.Service} {row.Key.Name} (p50 ms)", row.Duration, "ms", "starts at (p50 ms after the POST)", row.Start, Comparable: false))
            .ToList();
    }

    /// <summary>One trace's spans by (service, step, kind, name): first start (ms after the root), summed duration, and how many.</summary>
    private static IEnumerable<(SpanKey Key, double Start, double Duration, int Count)> PerTrace(ExportedSpan root, List<ExportedSpan> spans)
    {
        var byId = spans.ToDictionary(s => s.SpanId);
        return spans
            .GroupBy(span => new SpanKey(span.Service, Step(span, byId).Name, span.Kind, span.Name))
            .Select(group => (group.Key, group.Min(s => s.StartMs(root)), group.Sum(s => s.DurationMs), group.Count()));
    }

    /// <summary>The request served or event handled a span is part of: itself, or its nearest such ancestor.</summary>
    private static ExportedSpan Step(ExportedSpan span, Dictionary<string, ExportedSpan> byId)
    {
        var current = span;
        while (current.Kind is not (SpanKind.Server or SpanKind.Consumer) && byId.TryGetValue(current.ParentId, out var parent))
        {
            current = parent;
        }

        return current;
    }

    private static double Median(IEnumerable<double> values) => Figure.Percentile([.. values.Order()], 50);

    private readonly record struct SpanKey(string Service, string Step, SpanKind Kind, string Name);
}

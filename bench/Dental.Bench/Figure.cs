using System.Globalization;

namespace Dental.Bench;

/// <summary>
/// One measured figure, optionally beside the reference it is compared with; a reference that is only context (when a
/// trace's span starts, beside how long it lasts) is not <paramref name="Comparable"/> and gets no ratio.
/// </summary>
public sealed record Figure(string Name, double Value, string Unit, string? Reference = null, double? ReferenceValue = null, bool Comparable = true)
{
    public double? Ratio => Comparable && ReferenceValue is > 0 ? Value / ReferenceValue : null;

    public static void PrintTable(IReadOnlyList<Figure> figures)
    {
        Console.WriteLine();
        Console.WriteLine($"{"figure",-52} {"value",14} {"reference",-34} {"ref value",12} {"ratio",7}");
        foreach (var f in figures)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.Name,-52} {f.Value,10:F2} {f.Unit,-3} {f.Reference ?? "",-34} {(f.ReferenceValue is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) : ""),12} {(f.Ratio is { } q ? q.ToString("F2", CultureInfo.InvariantCulture) : ""),7}"));
        }

        if (Environment.GetEnvironmentVariable("BENCH_MARKDOWN") is { Length: > 0 } path)
        {
            File.WriteAllLines(path, ["| Figure | Value | Reference | Ratio |", "|---|---|---|---|", .. figures.Select(MarkdownRow)]);
        }
    }

    /// <summary>A row of the README's table.</summary>
    private static string MarkdownRow(Figure f)
    {
        var reference = f.ReferenceValue is { } r ? string.Create(CultureInfo.InvariantCulture, $"{f.Reference}: {r:F2} {f.Unit}") : f.Reference ?? "";
        var ratio = f.Ratio is { } q ? q.ToString("F2", CultureInfo.InvariantCulture) : "";
        return string.Create(CultureInfo.InvariantCulture, $"| {f.Name} | {f.Value:F2} {f.Unit} | {reference} | {ratio} |");
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

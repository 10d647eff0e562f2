using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Dental.Thumbnailer;

internal static class ThumbnailerMetrics
{
    private static readonly Meter Meter = new("Dental.Thumbnailer");

    /// <summary>Spans of the renders themselves, so a trace tells waiting for a render slot from rendering.</summary>
    public static readonly ActivitySource Source = new("Dental.Thumbnailer");

    public static readonly Counter<long> Images = Meter.CreateCounter<long>("dental.thumbnailer.images", description: "Originals turned into previews");

    public static readonly Counter<long> Rejected = Meter.CreateCounter<long>("dental.thumbnailer.rejected", description: "Originals that cannot be rendered, by reason");

    public static readonly Histogram<double> RenderDuration = Meter.CreateHistogram<double>("dental.thumbnailer.render.duration", "ms");
}

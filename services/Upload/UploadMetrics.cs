using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Dental.Upload;

internal static class UploadMetrics
{
    public const string Name = "Dental.Upload";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Uploads = Meter.CreateCounter<long>("dental.upload.images", description: "Images stored (duplicates excluded)");

    public static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("dental.upload.duplicates");

    public static readonly Counter<long> Bytes = Meter.CreateCounter<long>("dental.upload.bytes", "By");

    public static readonly Counter<long> Rejections = Meter.CreateCounter<long>("dental.upload.rejections", description: "Refused requests by reason");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("dental.upload.duration", "ms");

    public static void Rejected(string reason) => Rejections.Add(1, new KeyValuePair<string, object?>("reason", reason));
}

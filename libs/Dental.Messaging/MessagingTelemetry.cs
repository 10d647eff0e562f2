using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Dental.Messaging;

internal static class MessagingTelemetry
{
    public const string Name = "Dental.Messaging";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Published = Meter.CreateCounter<long>("dental.messaging.published");

    public static readonly Counter<long> Handled = Meter.CreateCounter<long>("dental.messaging.handled");

    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("dental.messaging.failed");

    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("dental.messaging.dead_lettered");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("dental.messaging.handle.duration", "ms");
}

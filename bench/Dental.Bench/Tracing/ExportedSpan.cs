namespace Dental.Bench.Tracing;

/// <summary>One span as a service exported it: ids, the service, name and kind, and its start and end (Unix nanoseconds).</summary>
internal sealed record ExportedSpan(string TraceId, string SpanId, string ParentId, string Service, string Name, SpanKind Kind, long StartNanos, long EndNanos)
{
    public double StartMs(ExportedSpan root) => (StartNanos - root.StartNanos) / 1e6;

    public double DurationMs => (EndNanos - StartNanos) / 1e6;
}

/// <summary>OTLP's span kinds (opentelemetry-proto trace.proto, Span.SpanKind).</summary>
internal enum SpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

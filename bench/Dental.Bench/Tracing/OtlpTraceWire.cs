using Google.Protobuf;

namespace Dental.Bench.Tracing;

/// <summary>
/// Reads the spans of an OTLP ExportTraceServiceRequest (protobuf). The generated OTLP classes (OpenTelemetry.Proto) are
/// not served by the package registry, so the few fields the breakdown needs are read off the wire here, by the field
/// numbers of opentelemetry-proto's trace_service.proto, trace.proto, resource.proto and common.proto.
/// </summary>
internal static class OtlpTraceWire
{
    public static List<ExportedSpan> Read(ByteString request)
    {
        var spans = new List<ExportedSpan>();
        ForEachField(request, (field, input) =>
        {
            if (field != 1)
            {
                return false;
            }

            spans.AddRange(ReadResourceSpans(input.ReadBytes()));
            return true;
        });
        return spans;
    }

    /// <summary>ResourceSpans: 1 resource, 2 scope_spans (each: 2 spans).</summary>
    private static List<ExportedSpan> ReadResourceSpans(ByteString resourceSpans)
    {
        var service = "";
        var spanMessages = new List<ByteString>();
        ForEachField(resourceSpans, (field, input) =>
        {
            switch (field)
            {
                case 1:
                    service = ServiceName(input.ReadBytes()) ?? service;
                    return true;
                case 2:
                    ForEachField(input.ReadBytes(), (scopeField, scopeInput) =>
                    {
                        if (scopeField != 2)
                        {
                            return false;
                        }

                        spanMessages.Add(scopeInput.ReadBytes());
                        return true;
                    });
                    return true;
                default:
                    return false;
            }
        });
        return spanMessages.Select(span => ReadSpan(span, service)).ToList();
    }

    /// <summary>Resource: 1 attributes (KeyValue: 1 key, 2 value; AnyValue: 1 string_value); the one named service.name.</summary>
    private static string? ServiceName(ByteString resource)
    {
        string? name = null;
        ForEachField(resource, (field, input) =>
        {
            if (field != 1)
            {
                return false;
            }

            string? key = null, value = null;
            ForEachField(input.ReadBytes(), (kvField, kvInput) =>
            {
                switch (kvField)
                {
                    case 1:
                        key = kvInput.ReadString();
                        return true;
                    case 2:
                        ForEachField(kvInput.ReadBytes(), (anyField, anyInput) =>
                        {
                            if (anyField != 1)
                            {
                                return false;
                            }

                            value = anyInput.ReadString();
                            return true;
                        });
                        return true;
                    default:
                        return false;
                }
            });
            if (key == "service.name")
            {
                name = value;
            }

            return true;
        });
        return name;
    }

    /// <summary>Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 6 kind, 7 start_time_unix_nano, 8 end_time_unix_nano.</summary>
    private static ExportedSpan ReadSpan(ByteString span, string service)
    {
        string traceId = "", spanId = "", parentId = "", name = "";
        var kind = SpanKind.Unspecified;
        ulong start = 0, end = 0;
        ForEachField(span, (field, input) =>
        {
            switch (field)
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().Span); return true;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().Span); return true;
                case 4: parentId = Convert.ToHexStringLower(input.ReadBytes().Span); return true;
                case 5: name = input.ReadString(); return true;
                case 6: kind = (SpanKind)input.ReadEnum(); return true;
                case 7: start = input.ReadFixed64(); return true;
                case 8: end = input.ReadFixed64(); return true;
                default: return false;
            }
        });
        return new ExportedSpan(traceId, spanId, parentId, service, name, kind, (long)start, (long)end);
    }

    /// <summary>Calls <paramref name="read"/> for every field of the message; a field it does not read (false) is skipped.</summary>
    private static void ForEachField(ByteString message, Func<int, CodedInputStream, bool> read)
    {
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!read(WireFormat.GetTagFieldNumber(tag), input))
            {
                input.SkipLastField();
            }
        }
    }
}

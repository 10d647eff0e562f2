using System.Text.Json;
using Dental.Messaging;

namespace Dental.UnitTests;

public class CloudEventTests
{
    [Fact]
    public void Serializes_as_cloudevents_1_0_structured_json_with_trace_context()
    {
        var envelope = new CloudEvent
        {
            Id = "e-1",
            Source = "/dental/upload",
            Type = "dental.image.uploaded",
            Subject = "patients/p-1/images/i-1",
            Time = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
            Data = JsonSerializer.SerializeToElement(new { imageId = "i-1" }),
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        };

        var json = JsonDocument.Parse(envelope.ToBinary().ToString()).RootElement;

        Assert.Equal("1.0", json.GetProperty("specversion").GetString());
        Assert.Equal("e-1", json.GetProperty("id").GetString());
        Assert.Equal("application/json", json.GetProperty("datacontenttype").GetString());
        Assert.Equal("i-1", json.GetProperty("data").GetProperty("imageId").GetString());
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", json.GetProperty("traceparent").GetString());
        Assert.False(json.TryGetProperty("tracestate", out _));
        Assert.Equal(envelope.Id, CloudEvent.Parse(envelope.ToBinary()).Id);
    }
}

using System.Diagnostics;
using System.Text.Json;
using Azure.Messaging;
using Dental.Messaging;

namespace Dental.UnitTests;

public class CloudEventTests
{
    [Fact]
    public void Serializes_as_cloudevents_1_0_structured_json_with_trace_context()
    {
        using var activity = new Activity("publish").SetParentId("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").Start();
        var envelope = CloudEvents.Create("/dental/upload", "dental.image.uploaded", "e-1", "patients/p-1/images/i-1", new { imageId = "i-1" },
            new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));

        var json = JsonDocument.Parse(envelope.ToBinary().ToString()).RootElement;

        Assert.Equal("1.0", json.GetProperty("specversion").GetString());
        Assert.Equal("e-1", json.GetProperty("id").GetString());
        Assert.Equal("application/json", json.GetProperty("datacontenttype").GetString());
        Assert.Equal("i-1", json.GetProperty("data").GetProperty("imageId").GetString());
        Assert.Equal(activity.Id, json.GetProperty("traceparent").GetString());
        Assert.False(json.TryGetProperty("tracestate", out _));
        var parsed = CloudEvents.TryParse(envelope.ToBinary(), out _)!;
        Assert.Equal(("e-1", "i-1"), (parsed.Id, JsonDocument.Parse(parsed.Data!.ToString()).RootElement.GetProperty("imageId").GetString()));
        Assert.Equal(activity.TraceId, parsed.ParentContext().TraceId);
    }

    [Theory]
    [InlineData("this is not a CloudEvent")]
    [InlineData("{}")]
    [InlineData("{\"specversion\":\"1.0\",\"id\":\"e-1\",\"type\":\"t\"}")]
    [InlineData("")]
    public void Anything_else_is_not_a_cloudevent_and_says_why(string body)
    {
        Assert.Null(CloudEvents.TryParse(BinaryData.FromString(body), out var problem));
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Dental.Messaging;
using Dental.Messaging.StorageQueues;
using Dental.ServiceDefaults.Telemetry;
using Dental.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Dental.IntegrationTests.Foundation;

/// <summary>What the services' telemetry exports for a storage call, through the real Azure SDK against Azurite.</summary>
public class TelemetryTests
{
    private const string HttpClientOperation = "System.Net.Http.HttpRequestOut";
    private static readonly ActivitySource Test = new("Dental.Tests.Telemetry");

    [Fact]
    public async Task A_storage_call_is_exported_once_as_the_Azure_SDK_span_while_other_HttpClient_calls_keep_theirs()
    {
        var emulators = await TestEmulators.GetAsync();
        var exported = new ConcurrentBag<Activity>();
        using var host = await TracedHostAsync(exported);

        ActivityTraceId traceId;
        using (var root = Test.StartActivity("storage and plain calls"))
        {
            traceId = root!.TraceId;
            var container = new BlobServiceClient(emulators.StorageConnectionString).GetBlobContainerClient($"telemetry-{Guid.NewGuid():N}");
            await container.CreateAsync();
            await container.GetBlobClient("b").UploadAsync(BinaryData.FromString("x"));
            await container.DeleteAsync();
            using var plain = new HttpClient();
            using var answer = await plain.GetAsync(new Uri(container.Uri, "?restype=container"));
        }

        await host.StopAsync();
        var trace = exported.Where(a => a.TraceId == traceId).ToList();
        var azureHttp = trace.Where(a => a.Source.Name == "Azure.Core.Http").ToList();
        var httpClient = trace.Where(a => a.OperationName == HttpClientOperation).ToList();
        // Create, upload and delete: each request once, as the SDK's own span (it carries the service's request id).
        Assert.Equal(3, azureHttp.Count);
        Assert.DoesNotContain(httpClient, a => azureHttp.Any(sdk => sdk.SpanId == a.ParentSpanId));
        // The request sent by a plain HttpClient is still recorded.
        Assert.Single(httpClient);
    }

    [Fact]
    public async Task A_poll_of_a_queue_exports_nothing_while_a_send_is_traced()
    {
        var emulators = await TestEmulators.GetAsync();
        var exported = new ConcurrentBag<Activity>();
        using var host = await TracedHostAsync(exported);
        var service = new QueueServiceClient(emulators.StorageConnectionString);
        var transport = new StorageQueueTransport(service, new MessagingOptions { QueuePrefix = $"t{Guid.NewGuid():N}"[..12] }, NullLogger.Instance);
        var queue = transport.Queue("topic", "subscription");
        await queue.CreateAsync();

        ActivityTraceId traceId;
        using (var root = Test.StartActivity("poll and send"))
        {
            traceId = root!.TraceId;
            Assert.Empty(await transport.ReceiveAsync("topic", "subscription", 32, TimeSpan.FromSeconds(30), CancellationToken.None));
            await queue.SendMessageAsync("m");
            Assert.Single(await transport.ReceiveAsync("topic", "subscription", 32, TimeSpan.FromSeconds(30), CancellationToken.None));
        }

        await host.StopAsync();
        await queue.DeleteAsync();
        var trace = exported.Where(a => a.TraceId == traceId).ToList();
        Assert.DoesNotContain(trace, a => a.DisplayName.Contains("ReceiveMessages", StringComparison.Ordinal));
        Assert.Contains(trace, a => a.DisplayName.Contains("SendMessage", StringComparison.Ordinal));
        // Only the root, the send's operation span and its one request: the polls left no HTTP span either.
        Assert.Equal(3, trace.Count);
    }

    /// <summary>A host with the services' telemetry, whose exported spans (those the exporters would get) land in <paramref name="exported"/>.</summary>
    private static async Task<IHost> TracedHostAsync(ConcurrentBag<Activity> exported)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddDentalTelemetry();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(Test.Name).AddProcessor(new Capture(exported)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed class Capture(ConcurrentBag<Activity> exported) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => exported.Add(data);
    }
}

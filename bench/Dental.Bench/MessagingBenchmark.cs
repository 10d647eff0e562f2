using System.Collections.Concurrent;
using System.Diagnostics;
using Azure.Messaging;
using Dental.Messaging;
using Dental.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dental.Bench;

/// <summary>Publish→handled latency and throughput of the Storage Queue transport on Azurite, with 1 and 8 handlers.</summary>
public static class MessagingBenchmark
{
    private const int Messages = 400;

    // The README's figures of 2026-11-21, before consumers ran on the transports' message pumps: a fixed reference,
    // since the code that made them is gone.
    private const string ReferenceName = "README 2026-11-21 (consumer loop)";
    private static readonly Dictionary<int, (double MessagesPerSecond, double P95Ms)> Before = new() { [1] = (177, 1502), [8] = (585, 191) };

    public sealed record Ping(long PublishedTicks);

    public sealed class Recorder
    {
        public ConcurrentBag<double> LatenciesMs { get; } = [];

        public TaskCompletionSource AllDone { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Expected { get; set; }
    }

    public sealed class PingHandler(Recorder recorder) : IEventConsumerHandler<Ping>
    {
        public Task HandleAsync(Ping data, CloudEvent envelope, CancellationToken cancellationToken)
        {
            recorder.LatenciesMs.Add(Stopwatch.GetElapsedTime(data.PublishedTicks).TotalMilliseconds);
            if (recorder.LatenciesMs.Count >= recorder.Expected)
            {
                recorder.AllDone.TrySetResult();
            }

            return Task.CompletedTask;
        }
    }

    public static async Task<IReadOnlyList<Figure>> RunAsync()
    {
        var emulators = await TestEmulators.GetAsync();
        var figures = new List<Figure>();
        foreach (var concurrency in new[] { 1, 8 })
        {
            var recorder = new Recorder { Expected = Messages };
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "bench", DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Messaging:StorageQueues:ConnectionString"] = emulators.StorageConnectionString,
                ["Messaging:QueuePrefix"] = $"b{Guid.NewGuid():N}"[..12] + "-",
                ["Messaging:EnsureCreated"] = "true",
                ["Messaging:MaxConcurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Messaging:Topics:images:0"] = "catalog",
            });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton(recorder);
            builder.AddMessaging().AddSubscription("images", "catalog").Handle<Ping, PingHandler>("bench.ping");
            using var host = builder.Build();
            await host.StartAsync();
            var publisher = host.Services.GetRequiredService<IEventPublisher>();
            await publisher.PublishAsync("images", "bench.ping", Guid.NewGuid().ToString(), null, new Ping(Stopwatch.GetTimestamp()), default);
            recorder.Expected = Messages + 1;

            var clock = Stopwatch.StartNew();
            // Published at a steady pace from 4 publishers, as uploads would arrive.
            await Parallel.ForEachAsync(Enumerable.Range(0, Messages), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (_, ct) =>
                await publisher.PublishAsync("images", "bench.ping", Guid.NewGuid().ToString(), null, new Ping(Stopwatch.GetTimestamp()), ct));
            await recorder.AllDone.Task.WaitAsync(TimeSpan.FromMinutes(5));
            var elapsed = clock.Elapsed.TotalSeconds;
            await host.StopAsync();

            var sorted = recorder.LatenciesMs.Order().ToList();
            var (referenceRate, referenceP95) = Before[concurrency];
            figures.Add(new Figure($"queue transport, {concurrency} handler(s): messages/s", Messages / elapsed, "/s", ReferenceName, referenceRate));
            figures.Add(new Figure($"queue transport, {concurrency} handler(s): latency p50", Figure.Percentile(sorted, 50), "ms"));
            figures.Add(new Figure($"queue transport, {concurrency} handler(s): latency p95", Figure.Percentile(sorted, 95), "ms", ReferenceName, referenceP95));
        }

        return figures;
    }
}

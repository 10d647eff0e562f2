using Dental.Messaging;
using Dental.Messaging.StorageQueues;
using Dental.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dental.IntegrationTests.Messaging;

public sealed class StorageQueueTransportTests : TransportConformanceTests
{
    private readonly string _prefix = $"c{Guid.NewGuid():N}"[..16] + "-";

    protected override async Task<Dictionary<string, string?>> TransportSettingsAsync()
    {
        var emulators = await TestEmulators.GetAsync();
        return new()
        {
            ["Messaging:Transport"] = nameof(MessagingTransport.StorageQueues),
            ["Messaging:StorageQueues:ConnectionString"] = emulators.StorageConnectionString,
            ["Messaging:QueuePrefix"] = _prefix,
            ["Messaging:EnsureCreated"] = "true",
        };
    }

    protected override async Task<int> PendingAsync(IMessageTransport transport, string subscription)
    {
        var queue = ((StorageQueueTransport)transport).Queue(ConsumerHost.Topic, subscription);
        return (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
    }

    [Fact]
    public async Task Events_and_dead_letters_never_expire_on_the_queue_s_own_seven_day_clock()
    {
        var settings = await TransportSettingsAsync();
        settings["Messaging:Topics:images:0"] = ConsumerHost.Subscription;
        using var host = await ConsumerHost.StartAsync(settings, Probe, consume: false);
        var transport = (StorageQueueTransport)host.Services.GetRequiredService<IMessageTransport>();
        await host.PublishAsync(new ProbeEvent("ok"));

        var queued = Assert.Single((await transport.Queue(ConsumerHost.Topic, ConsumerHost.Subscription).PeekMessagesAsync(32)).Value);
        Assert.True(queued.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"expires {queued.ExpiresOn}");

        var received = Assert.Single(await transport.ReceiveAsync(ConsumerHost.Topic, ConsumerHost.Subscription, 1, TimeSpan.FromSeconds(30), CancellationToken.None));
        await received.DeadLetterAsync("permanent: test", CancellationToken.None);
        var poison = MessagingExtensions.CreateQueueService(new StorageQueueSettings { ConnectionString = settings["Messaging:StorageQueues:ConnectionString"] })
            .GetQueueClient($"{_prefix}{ConsumerHost.Topic}-{ConsumerHost.Subscription}-poison");
        var letter = Assert.Single((await poison.PeekMessagesAsync(32)).Value);
        Assert.True(letter.ExpiresOn > DateTimeOffset.UtcNow.AddYears(100), $"expires {letter.ExpiresOn}");
        await host.StopAsync();
    }
}

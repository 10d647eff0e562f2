using Dental.Messaging;
using Dental.Messaging.StorageQueues;
using Dental.Testing;

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
}

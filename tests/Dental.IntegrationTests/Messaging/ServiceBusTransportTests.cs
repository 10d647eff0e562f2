using Azure.Messaging.ServiceBus;
using Dental.Messaging;
using Dental.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dental.IntegrationTests.Messaging;

public sealed class ServiceBusTransportTests : TransportConformanceTests
{
    private readonly InMemoryServiceBus _bus = new(
        new Dictionary<string, string[]> { [ConsumerHost.Topic] = [ConsumerHost.Subscription, Bystander] }, MaxAttempts, LockDuration);

    protected override Task<Dictionary<string, string?>> TransportSettingsAsync() => Task.FromResult(new Dictionary<string, string?>
    {
        ["Messaging:Transport"] = nameof(MessagingTransport.ServiceBus),
        ["Messaging:ServiceBus:Endpoint"] = "https://dental-test.servicebus.windows.net/",
        ["Messaging:ServiceBus:ReceiveTimeout"] = "00:00:01",
    });

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton(_bus.Client);

    protected override Task<int> PendingAsync(IMessageTransport transport, string subscription) =>
        Task.FromResult(_bus.ActiveCount(ConsumerHost.Topic, subscription));

    [Fact]
    public async Task A_missing_entity_is_the_sdk_s_entity_not_found()
    {
        using var host = await ConsumerHost.StartAsync(await TransportSettingsAsync(), Probe, consume: false, ConfigureServices);
        var transport = host.Services.GetRequiredService<IMessageTransport>();

        var error = await Assert.ThrowsAsync<ServiceBusException>(() =>
            transport.ReceiveAsync("no-such-topic", "catalog", 1, LockDuration, CancellationToken.None));
        Assert.Equal(ServiceBusFailureReason.MessagingEntityNotFound, error.Reason);
        await host.StopAsync();
    }
}

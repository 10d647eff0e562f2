using System.Net;
using Dental.Messaging;
using Dental.Messaging.ServiceBus;
using Dental.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dental.IntegrationTests.Messaging;

public sealed class ServiceBusTransportTests : TransportConformanceTests
{
    private readonly FakeServiceBus _bus = new(
        new Dictionary<string, string[]> { [ConsumerHost.Topic] = [ConsumerHost.Subscription] }, MaxAttempts, LockDuration);

    public override Task InitializeAsync() => _bus.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _bus.DisposeAsync();
    }

    protected override Task<Dictionary<string, string?>> TransportSettingsAsync() => Task.FromResult(Settings(FakeServiceBus.Key));

    protected override Task<int> PendingAsync(IMessageTransport transport) =>
        Task.FromResult(_bus.ActiveCount(ConsumerHost.Topic, ConsumerHost.Subscription));

    private Dictionary<string, string?> Settings(string key) => new()
    {
        ["Messaging:Transport"] = nameof(MessagingTransport.ServiceBus),
        ["Messaging:ServiceBus:Endpoint"] = _bus.Endpoint.ToString(),
        ["Messaging:ServiceBus:SasKeyName"] = FakeServiceBus.KeyName,
        ["Messaging:ServiceBus:SasKey"] = key,
        ["Messaging:ServiceBus:ReceiveTimeout"] = "00:00:01",
    };

    [Fact]
    public async Task A_wrong_key_is_refused_with_401()
    {
        using var host = await ConsumerHost.StartAsync(Settings("d3Jvbmcta2V5"), new HandlerProbe(), consume: false);

        var error = await Assert.ThrowsAsync<ServiceBusRequestException>(() => host.PublishAsync(new ProbeEvent("ok")));
        Assert.Equal((int)HttpStatusCode.Unauthorized, error.Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_missing_entity_is_410()
    {
        using var host = await ConsumerHost.StartAsync(Settings(FakeServiceBus.Key), new HandlerProbe(), consume: false);
        var transport = host.Services.GetRequiredService<IMessageTransport>();

        var error = await Assert.ThrowsAsync<ServiceBusRequestException>(() =>
            transport.ReceiveAsync("no-such-topic", "catalog", 1, LockDuration, CancellationToken.None));
        Assert.Equal((int)HttpStatusCode.Gone, error.Status);
        await host.StopAsync();
    }
}

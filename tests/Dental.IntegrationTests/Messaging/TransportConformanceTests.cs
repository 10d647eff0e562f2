using Azure.Messaging;
using Dental.Messaging;
using Dental.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dental.IntegrationTests.Messaging;

/// <summary>
/// What every transport must do, run against each: Storage Queues on Azurite, Service Bus through its SDK over
/// the SDK's documented test seams (an in-memory broker; none can run here).
/// </summary>
public abstract class TransportConformanceTests : IAsyncLifetime
{
    protected const int MaxAttempts = 3;
    protected static readonly TimeSpan LockDuration = TimeSpan.FromSeconds(2);

    /// <summary>A second subscription of the topic that nobody consumes: it shows what reached the topic's other subscribers.</summary>
    protected const string Bystander = "bystander";
    private readonly List<IHost> _hosts = [];

    protected HandlerProbe Probe { get; } = new();

    /// <summary>Transport-specific settings (on top of the shared ones below).</summary>
    protected abstract Task<Dictionary<string, string?>> TransportSettingsAsync();

    /// <summary>Registrations the transport needs besides its settings.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Messages still waiting or locked in a subscription of the topic.</summary>
    protected abstract Task<int> PendingAsync(IMessageTransport transport, string subscription);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    private async Task<Dictionary<string, string?>> SettingsAsync(TimeSpan? lockDuration, IReadOnlyDictionary<string, string?>? extra)
    {
        var settings = await TransportSettingsAsync();
        settings["Messaging:MaxDeliveryAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Messaging:MaxTransientDeliveryAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Messaging:MaxRetryDelay"] = "00:00:01";
        settings["Messaging:LockDuration"] = (lockDuration ?? LockDuration).ToString();
        settings["Messaging:RetryBaseDelay"] = "00:00:00.100";
        settings["Messaging:MaxIdlePollDelay"] = "00:00:00.100";
        settings["Messaging:ShutdownGrace"] = "00:00:00.300";
        settings["Messaging:Topics:images:0"] = ConsumerHost.Subscription;
        settings["Messaging:Topics:images:1"] = Bystander;
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    private async Task<IHost> StartAsync(bool consume = true, TimeSpan? lockDuration = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = await ConsumerHost.StartAsync(await SettingsAsync(lockDuration, settings), Probe, consume, ConfigureServices);
        _hosts.Add(host);
        return host;
    }

    private static IMessageTransport Transport(IHost host) => host.Services.GetRequiredService<IMessageTransport>();

    private Task<int> WaitForEffectAsync(string id) =>
        Eventually.ReturnsAsync(() => Task.FromResult(Probe.EffectsOf(id)), n => n > 0, $"event {id} to be handled");

    private Task<int> WaitUntilDrainedAsync(IHost host) =>
        Eventually.ReturnsAsync(() => PendingAsync(Transport(host), ConsumerHost.Subscription), n => n == 0, "the subscription to drain");

    private static Task<IReadOnlyList<DeadLetter>> PeekDeadLettersAsync(IHost host) =>
        Transport(host).PeekDeadLettersAsync(ConsumerHost.Topic, ConsumerHost.Subscription, 32, CancellationToken.None);

    private static Task<IReadOnlyList<DeadLetter>> WaitForDeadLettersAsync(IHost host, int count) =>
        Eventually.ReturnsAsync(() => PeekDeadLettersAsync(host), l => l.Count == count, $"{count} dead letter(s)");

    private static Func<DeadLetter, bool> EventIs(string id) => letter => CloudEvent.Parse(letter.Body)!.Id == id;

    [Fact]
    public async Task A_dead_letter_resubmitted_after_the_fix_is_handled_once_and_reaches_only_its_subscription()
    {
        var host = await StartAsync();
        Probe.Broken = true;
        var id = Guid.NewGuid().ToString();
        await host.PublishAsync(new ProbeEvent("until-fixed"), id);
        await WaitForDeadLettersAsync(host, 1);
        var bystanderBefore = await PendingAsync(Transport(host), Bystander);

        Probe.Broken = false;
        var resubmitted = await host.Services.GetRequiredService<DeadLetters>().ResubmitAsync(ConsumerHost.Topic, ConsumerHost.Subscription, EventIs(id), CancellationToken.None);

        Assert.Equal(1, resubmitted);
        await WaitForEffectAsync(id);
        Assert.Equal((2, 1), (Probe.AttemptsOf(id), Probe.EffectsOf(id)));
        Assert.Empty(await PeekDeadLettersAsync(host));
        Assert.Equal(bystanderBefore, await PendingAsync(Transport(host), Bystander));
        await WaitUntilDrainedAsync(host);
    }

    [Fact]
    public async Task Purging_removes_the_chosen_dead_letters_and_keeps_the_others()
    {
        var host = await StartAsync();
        var (purged, kept) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await host.PublishAsync(new ProbeEvent("permanent"), purged);
        await host.PublishAsync(new ProbeEvent("permanent"), kept);
        await WaitForDeadLettersAsync(host, 2);

        Assert.Equal(1, await host.Services.GetRequiredService<DeadLetters>().PurgeAsync(ConsumerHost.Topic, ConsumerHost.Subscription, EventIs(purged), CancellationToken.None));

        // The letter set aside during the scan is released at once, not when its lock runs out.
        var left = Assert.Single(await PeekDeadLettersAsync(host));
        Assert.Equal(kept, CloudEvent.Parse(left.Body)!.Id);
        Assert.Equal(1, await host.Services.GetRequiredService<DeadLetters>().PurgeAsync(ConsumerHost.Topic, ConsumerHost.Subscription, _ => true, CancellationToken.None));
        Assert.Empty(await PeekDeadLettersAsync(host));
    }

    [Fact]
    public async Task The_sweep_removes_dead_letters_once_they_are_past_their_retention_and_not_before()
    {
        var retention = TimeSpan.FromSeconds(3);
        var host = await StartAsync(settings: new Dictionary<string, string?>
        {
            ["Messaging:DeadLetterRetention"] = retention.ToString(),
            ["Messaging:DeadLetterSweepInterval"] = "00:00:00.200",
        });
        await host.PublishAsync(new ProbeEvent("permanent"), Guid.NewGuid().ToString());

        var letter = Assert.Single(await WaitForDeadLettersAsync(host, 1));
        Assert.NotNull(letter.DeadLetteredAt);
        await Eventually.ReturnsAsync(() => PeekDeadLettersAsync(host), l => l.Count == 0, "the sweep to remove the dead letter");
        Assert.True(DateTimeOffset.UtcNow - letter.DeadLetteredAt >= retention, "removed before its retention ran out");
    }

    [Fact]
    public async Task Published_events_are_handled_with_their_envelope()
    {
        var host = await StartAsync();
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var id in ids)
        {
            await host.PublishAsync(new ProbeEvent("ok"), id);
        }

        foreach (var id in ids)
        {
            await WaitForEffectAsync(id);
            var envelope = Probe.Envelopes[id];
            Assert.Equal(ProbeEvent.EventType, envelope.Type);
            Assert.Equal("/dental/conformance", envelope.Source);
            Assert.Equal("probe", envelope.Subject);
            Assert.Equal("ok", envelope.DataAs<ProbeEvent>().Behavior);
        }

        await WaitUntilDrainedAsync(host);
    }

    [Fact]
    public async Task An_abandoned_message_is_redelivered()
    {
        var host = await StartAsync();
        var id = Guid.NewGuid().ToString();
        await host.PublishAsync(new ProbeEvent("fail-once"), id);

        await WaitForEffectAsync(id);
        Assert.Equal(2, Probe.AttemptsOf(id));
        await WaitUntilDrainedAsync(host);
    }

    [Fact]
    public async Task A_message_whose_consumer_died_is_redelivered_after_its_lock_expires()
    {
        var publisher = await StartAsync(consume: false);
        var id = Guid.NewGuid().ToString();
        await publisher.PublishAsync(new ProbeEvent("ok"), id);

        // A consumer takes the message and dies without settling it.
        var transport = Transport(publisher);
        var taken = await Eventually.ReturnsAsync(
            () => transport.ReceiveAsync(ConsumerHost.Topic, ConsumerHost.Subscription, 1, LockDuration, CancellationToken.None),
            m => m.Count == 1,
            "the message to be received");
        var locked = System.Diagnostics.Stopwatch.StartNew();
        // Nobody else gets it while its lock holds. A receive may wait for messages (the Service Bus side waits up to its
        // receive timeout), and once the lock has run out the message is rightly handed out again, within the same call.
        var again = await transport.ReceiveAsync(ConsumerHost.Topic, ConsumerHost.Subscription, 1, LockDuration, CancellationToken.None);
        Assert.True(again.Count == 0 || locked.Elapsed >= LockDuration - TimeSpan.FromMilliseconds(100),
            $"a message was handed out again {locked.ElapsedMilliseconds} ms into its {LockDuration.TotalMilliseconds} ms lock");

        await StartAsync();
        await WaitForEffectAsync(id);
        Assert.Equal(1, Probe.AttemptsOf(id));
        await Assert.ThrowsAnyAsync<Exception>(() => taken[0].CompleteAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_handler_that_always_fails_is_dead_lettered_after_the_last_attempt_while_others_flow()
    {
        var host = await StartAsync();
        var poison = Guid.NewGuid().ToString();
        await host.PublishAsync(new ProbeEvent("always-fail"), poison);
        var good = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var id in good)
        {
            await host.PublishAsync(new ProbeEvent("ok"), id);
        }

        foreach (var id in good)
        {
            await WaitForEffectAsync(id);
        }

        var letters = await Eventually.ReturnsAsync(
            () => Transport(host).PeekDeadLettersAsync(ConsumerHost.Topic, ConsumerHost.Subscription, 10, CancellationToken.None),
            l => l.Count > 0,
            "the poison message to be dead-lettered");
        Assert.Equal(poison, CloudEvent.Parse(Assert.Single(letters).Body)!.Id);
        Assert.False(string.IsNullOrWhiteSpace(letters[0].Reason));
        Assert.Equal(MaxAttempts, Probe.AttemptsOf(poison));
        Assert.Equal(0, Probe.EffectsOf(poison));
        await WaitUntilDrainedAsync(host);
    }

    [Fact]
    public async Task An_event_that_can_never_succeed_is_dead_lettered_at_once_with_its_reason()
    {
        var host = await StartAsync();
        var id = Guid.NewGuid().ToString();
        await host.PublishAsync(new ProbeEvent("permanent"), id);

        var letter = Assert.Single(await Eventually.ReturnsAsync(
            () => Transport(host).PeekDeadLettersAsync(ConsumerHost.Topic, ConsumerHost.Subscription, 10, CancellationToken.None), l => l.Count > 0, "the dead letter"));
        Assert.Equal(id, CloudEvent.Parse(letter.Body)!.Id);
        Assert.StartsWith("permanent: ", letter.Reason, StringComparison.Ordinal);
        Assert.Contains("cannot exist", letter.Reason, StringComparison.Ordinal);
        Assert.Equal(1, Probe.AttemptsOf(id));
        await WaitUntilDrainedAsync(host);
    }

    [Fact]
    public async Task While_a_dependency_is_down_consuming_pauses_so_an_outage_dead_letters_nothing()
    {
        var host = await StartAsync();
        Probe.DependencyDown = true;
        var ids = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var id in ids)
        {
            await host.PublishAsync(new ProbeEvent("needs-dependency"), id);
        }

        // The outage lasts until the consumer has asked for readiness several times: retried at its own pace
        // (100 ms, doubling) each event would have used its 3 deliveries long before.
        await Eventually.ReturnsAsync(() => Task.FromResult(ids.Sum(Probe.AttemptsOf)), n => n > 0, "a first failed attempt");
        var asked = Probe.ReadinessChecks;
        await Eventually.ReturnsAsync(() => Task.FromResult(Probe.ReadinessChecks), n => n >= asked + 5, "the consumer to wait out the outage");
        Probe.DependencyDown = false;

        foreach (var id in ids)
        {
            await WaitForEffectAsync(id);
        }

        // Each event failed at most while it was in flight as the outage began, never once per retry.
        Assert.Empty(await Transport(host).PeekDeadLettersAsync(ConsumerHost.Topic, ConsumerHost.Subscription, 10, CancellationToken.None));
        Assert.All(ids, id => Assert.InRange(Probe.AttemptsOf(id), 1, MaxAttempts - 1));
        await WaitUntilDrainedAsync(host);
    }

    [Fact]
    public async Task A_duplicate_delivery_has_its_effect_once()
    {
        var host = await StartAsync();
        var id = Guid.NewGuid().ToString();
        await host.PublishAsync(new ProbeEvent("slow", 300), id);
        await host.PublishAsync(new ProbeEvent("slow", 300), id);

        await WaitForEffectAsync(id);
        await WaitUntilDrainedAsync(host);
        Assert.Equal(1, Probe.AttemptsOf(id));
        Assert.Equal(1, Probe.EffectsOf(id));
    }

    [Fact]
    public async Task Shutdown_releases_in_flight_messages_for_another_consumer()
    {
        // A long lock: if shutdown did not release the message, the second consumer would wait 60 s.
        var lockDuration = TimeSpan.FromSeconds(60);
        var first = await StartAsync(lockDuration: lockDuration);
        var id = Guid.NewGuid().ToString();
        await first.PublishAsync(new ProbeEvent("block-first"), id);
        await Probe.Blocked.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await first.StopAsync();
        await StartAsync(lockDuration: lockDuration);

        await Eventually.ReturnsAsync(() => Task.FromResult(Probe.EffectsOf(id)), n => n > 0, "the released message to be handled", TimeSpan.FromSeconds(15));
        Assert.Equal(2, Probe.AttemptsOf(id));
    }

    [Fact]
    public async Task A_handler_longer_than_the_lock_keeps_its_message_by_renewing()
    {
        var host = await StartAsync();
        var id = Guid.NewGuid().ToString();
        await host.PublishAsync(new ProbeEvent("slow", (int)(LockDuration.TotalMilliseconds * 2.5)), id);

        await WaitForEffectAsync(id);
        await WaitUntilDrainedAsync(host);
        Assert.Equal(1, Probe.AttemptsOf(id));
    }
}

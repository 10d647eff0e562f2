using System.Diagnostics;
using Dental.ServiceDefaults.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dental.Messaging;

/// <summary>
/// Consumes one subscription of a topic: bounded concurrency, adaptive polling, lock renewal while a
/// handler runs, complete on success, abandon with backoff on failure, dead-letter after the last
/// attempt. On shutdown, in-flight handlers get a grace period and are then cancelled and released.
/// </summary>
public sealed partial class EventConsumer(
    string topic,
    string subscription,
    EventHandlerRegistry handlers,
    IMessageTransport transport,
    IServiceScopeFactory scopes,
    IOptions<MessagingOptions> options,
    DependencyGate gate,
    ILogger<EventConsumer> logger) : BackgroundService
{
    private readonly ProcessedEventCache _processed = new();
    private readonly CancellationTokenSource _handlerCancellation = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        await EnsureCreatedAsync(stoppingToken);
        using var slots = new SemaphoreSlim(settings.MaxConcurrency);
        var inFlight = new List<Task>();
        var idleDelay = TimeSpan.Zero;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                // Checked with a slot in hand, just before receiving: a handler that failed while this loop
                // waited for the slot has tripped the gate by now.
                await PauseWhileGateOpenAsync(stoppingToken);

                var free = slots.CurrentCount + 1;
                IReadOnlyList<IReceivedMessage> messages;
                try
                {
                    messages = await transport.ReceiveAsync(topic, subscription, Math.Min(free, 32), settings.LockDuration, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    slots.Release();
                    LogReceiveFailed(logger, subscription, ex.Message);
                    await Task.Delay(settings.MaxIdlePollDelay, stoppingToken);
                    continue;
                }

                if (messages.Count == 0)
                {
                    slots.Release();
                    idleDelay = Backoff.Doubled(idleDelay, TimeSpan.FromMilliseconds(20), settings.MaxIdlePollDelay);
                    await Task.Delay(idleDelay, stoppingToken);
                    continue;
                }

                idleDelay = TimeSpan.Zero;
                for (var i = 1; i < messages.Count; i++)
                {
                    await slots.WaitAsync(stoppingToken);
                }

                await HoldWhileGateOpenAsync(messages, stoppingToken);
                lock (inFlight)
                {
                    inFlight.RemoveAll(t => t.IsCompleted);
                    inFlight.AddRange(messages.Select(m => ProcessAndReleaseAsync(m, slots)));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await DrainAsync(inFlight);
    }

    private async Task PauseWhileGateOpenAsync(CancellationToken stoppingToken)
    {
        if (gate.IsOpen)
        {
            LogPaused(logger, subscription);
            await gate.WaitUntilClosedAsync(stoppingToken);
            LogResumed(logger, subscription);
        }
    }

    /// <summary>
    /// Messages received while a handler tripped the gate are not handled into the outage: they wait, their locks
    /// renewed (which costs no delivery), until the dependency is back.
    /// </summary>
    private async Task HoldWhileGateOpenAsync(IReadOnlyList<IReceivedMessage> messages, CancellationToken stoppingToken)
    {
        if (!gate.IsOpen)
        {
            return;
        }

        using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewals = messages.Select(m => RenewWhileRunningAsync(m, held.Token)).ToList();
        try
        {
            await PauseWhileGateOpenAsync(stoppingToken);
        }
        finally
        {
            await held.CancelAsync();
            await Task.WhenAll(renewals);
        }
    }

    /// <summary>Waits out a broker that is down at start (the service stays up and serves; consuming begins once it is back).</summary>
    private async Task EnsureCreatedAsync(CancellationToken stoppingToken)
    {
        var delay = options.Value.RetryBaseDelay;
        while (true)
        {
            try
            {
                await transport.EnsureCreatedAsync(topic, subscription, stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogReceiveFailed(logger, subscription, ex.Message.Split('\n')[0]);
                await Task.Delay(delay, stoppingToken);
                delay = Backoff.Doubled(delay, TimeSpan.FromMilliseconds(100), options.Value.MaxRetryDelay);
            }
        }
    }

    private async Task DrainAsync(List<Task> inFlight)
    {
        Task drained;
        lock (inFlight)
        {
            drained = Task.WhenAll(inFlight);
        }

        if (await Task.WhenAny(drained, Task.Delay(options.Value.ShutdownGrace)) != drained)
        {
            await _handlerCancellation.CancelAsync();
        }

        await drained;
    }

    private async Task ProcessAndReleaseAsync(IReceivedMessage message, SemaphoreSlim slots)
    {
        try
        {
            await ProcessAsync(message);
        }
        catch (Exception ex)
        {
            // Settling failed (broker unreachable): the lock expires and the message comes back.
            LogSettleFailed(logger, message.MessageId, ex.Message);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>One delivery: read the envelope, skip what is not ours or already done, else run its handler and settle.</summary>
    private async Task ProcessAsync(IReceivedMessage message)
    {
        var cancellation = _handlerCancellation.Token;
        if (await ReadEnvelopeAsync(message, cancellation) is not { } envelope)
        {
            return;
        }

        var handler = handlers.Find(envelope.Type);
        if (handler is null || _processed.IsDone(envelope.Id))
        {
            // Not an event this subscription handles, or one it already handled: nothing to do.
            await message.CompleteAsync(cancellation);
            return;
        }

        if (!_processed.TryBegin(envelope.Id))
        {
            // A duplicate of an event being handled right now: look again once that one has finished.
            await message.AbandonAsync(options.Value.RetryBaseDelay, CancellationToken.None);
            return;
        }

        await HandleAsync(message, envelope, handler, cancellation);
    }

    /// <summary>The message's CloudEvent, or null after dead-lettering a message that is not one.</summary>
    private async Task<CloudEvent?> ReadEnvelopeAsync(IReceivedMessage message, CancellationToken cancellation)
    {
        var envelope = CloudEvent.TryParse(message.Body, out var problem);
        if (envelope is null)
        {
            await DeadLetterAsync(message, "unreadable", $"not a CloudEvent: {problem}", cancellation);
        }

        return envelope;
    }

    /// <summary>Runs the handler in its own scope and trace span, renewing the lock meanwhile; completes on success, settles a failure.</summary>
    private async Task HandleAsync(IReceivedMessage message, CloudEvent envelope, Func<IServiceProvider, CloudEvent, CancellationToken, Task> handler, CancellationToken cancellation)
    {
        ActivityContext.TryParse(envelope.TraceParent, envelope.TraceState, out var parent);
        using var activity = MessagingTelemetry.Source.StartActivity($"process {envelope.Type}", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.destination.subscription.name", subscription);
        activity?.SetTag("messaging.message.id", envelope.Id);
        activity?.SetTag("messaging.message.delivery_count", message.DeliveryCount);
        var clock = Stopwatch.StartNew();
        using var renewal = new CancellationTokenSource();
        var renewing = RenewWhileRunningAsync(message, renewal.Token);
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                await handler(scope.ServiceProvider, envelope, cancellation);
            }

            await renewal.CancelAsync();
            await renewing;
            // Recorded before completing: if completing fails, the redelivery is completed without a rerun.
            _processed.Complete(envelope.Id);
            await message.CompleteAsync(CancellationToken.None);
            MessagingTelemetry.Handled.Add(1, new KeyValuePair<string, object?>("type", envelope.Type));
            MessagingTelemetry.Duration.Record(clock.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("type", envelope.Type));
        }
        catch (Exception ex)
        {
            await renewal.CancelAsync();
            await renewing;
            _processed.Abort(envelope.Id);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            await SettleFailureAsync(message, envelope, ex, cancellation);
        }
    }

    private async Task SettleFailureAsync(IReceivedMessage message, CloudEvent envelope, Exception ex, CancellationToken cancellation)
    {
        if (ex is OperationCanceledException && cancellation.IsCancellationRequested)
        {
            LogReleased(logger, envelope.Id);
            await message.AbandonAsync(TimeSpan.Zero, CancellationToken.None);
            return;
        }

        MessagingTelemetry.Failed.Add(1, new KeyValuePair<string, object?>("type", envelope.Type));
        var settings = options.Value;
        var permanent = ex is PermanentEventFailureException;
        var transient = TransientFaults.IsTransient(ex);
        if (transient)
        {
            // A dependency is down: receive nothing more until it is back (the gate asks the readiness checks).
            gate.Trip();
        }

        var attempts = transient ? settings.MaxTransientDeliveryAttempts : settings.MaxDeliveryAttempts;
        if (permanent || message.DeliveryCount >= attempts)
        {
            var reason = permanent ? "permanent" : "max-deliveries";
            await DeadLetterAsync(message, reason, $"{ex.GetType().Name}: {ex.Message}", CancellationToken.None);
            return;
        }

        var delay = TimeSpan.FromTicks(Math.Min(
            settings.RetryBaseDelay.Ticks * (1L << Math.Min(message.DeliveryCount - 1, 16)),
            settings.MaxRetryDelay.Ticks));
        LogRetrying(logger, envelope.Id, envelope.Type, message.DeliveryCount, delay.TotalSeconds, ex.Message);
        await message.AbandonAsync(delay, CancellationToken.None);
    }

    private async Task DeadLetterAsync(IReceivedMessage message, string reason, string detail, CancellationToken cancellation)
    {
        LogDeadLettered(logger, message.MessageId, subscription, reason, detail);
        MessagingTelemetry.DeadLettered.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("subscription", $"{topic}/{subscription}"));
        await message.DeadLetterAsync($"{reason}: {detail}", cancellation);
    }

    private async Task RenewWhileRunningAsync(IReceivedMessage message, CancellationToken done)
    {
        var lockDuration = options.Value.LockDuration;
        try
        {
            while (true)
            {
                await Task.Delay(lockDuration / 2, done);
                await message.RenewLockAsync(lockDuration, done);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogRenewFailed(logger, message.MessageId, ex.Message);
        }
    }

    public override void Dispose()
    {
        _handlerCancellation.Dispose();
        base.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "A dependency is down: {Subscription} stops receiving until the service is ready again")]
    private static partial void LogPaused(ILogger logger, string subscription);

    [LoggerMessage(LogLevel.Information, "{Subscription} receives again")]
    private static partial void LogResumed(ILogger logger, string subscription);

    [LoggerMessage(LogLevel.Warning, "Receiving from {Subscription} failed: {Reason}")]
    private static partial void LogReceiveFailed(ILogger logger, string subscription, string reason);

    [LoggerMessage(LogLevel.Warning, "Settling message {MessageId} failed; it will be redelivered: {Reason}")]
    private static partial void LogSettleFailed(ILogger logger, string messageId, string reason);

    [LoggerMessage(LogLevel.Information, "Shutting down: event {EventId} released for redelivery")]
    private static partial void LogReleased(ILogger logger, string eventId);

    [LoggerMessage(LogLevel.Warning, "Event {EventId} ({Type}) failed on delivery {Delivery}; retrying in {DelaySeconds} s: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string eventId, string type, int delivery, double delaySeconds, string reason);

    [LoggerMessage(LogLevel.Error, "Message {MessageId} dead-lettered from {Subscription} ({Reason}): {Detail}")]
    private static partial void LogDeadLettered(ILogger logger, string messageId, string subscription, string reason, string detail);

    [LoggerMessage(LogLevel.Warning, "Renewing the lock of {MessageId} failed: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string messageId, string reason);
}

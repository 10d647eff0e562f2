using System.Diagnostics;
using Azure.Messaging;
using Dental.ServiceDefaults.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dental.Messaging;

/// <summary>
/// Consumes one subscription of a topic through the transport's processor: each delivery waits while the dependency
/// gate is open (its lock renewed by the processor), then runs its handler and settles: complete on success, abandon
/// with backoff on a failure that may pass, dead-letter when it never will or after the last attempt. On shutdown,
/// in-flight handlers get a grace period and are then cancelled and their messages released.
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
        try
        {
            await EnsureCreatedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        await using var processor = transport.CreateProcessor(topic, subscription, ProcessAsync);
        await processor.StartAsync(stoppingToken);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        var stopped = processor.StopAsync(CancellationToken.None);
        if (await Task.WhenAny(stopped, Task.Delay(options.Value.ShutdownGrace, CancellationToken.None)) != stopped)
        {
            await _handlerCancellation.CancelAsync();
        }

        await stopped;
    }

    /// <summary>
    /// While a handler's failure has tripped the gate, deliveries are not handled into the outage: they wait (their locks
    /// renewed, which costs no delivery) until the service is ready again, and the processor's slots filled by them stop it receiving.
    /// </summary>
    private async Task WaitWhileGateOpenAsync(CancellationToken cancellation)
    {
        if (gate.IsOpen)
        {
            LogPaused(logger, subscription);
            await gate.WaitUntilClosedAsync(cancellation);
            LogResumed(logger, subscription);
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

    private async Task ProcessAsync(IReceivedMessage message)
    {
        try
        {
            await WaitWhileGateOpenAsync(_handlerCancellation.Token);
            await ProcessDeliveryAsync(message);
        }
        catch (OperationCanceledException) when (_handlerCancellation.IsCancellationRequested)
        {
            // Shut down while waiting for the gate: release the message for another consumer.
            await TrySettleAsync(message, m => m.AbandonAsync(TimeSpan.Zero, CancellationToken.None));
        }
        catch (Exception ex)
        {
            // Settling failed (broker unreachable): the lock expires and the message comes back.
            LogSettleFailed(logger, message.MessageId, ex.Message);
        }
    }

    private async Task TrySettleAsync(IReceivedMessage message, Func<IReceivedMessage, Task> settle)
    {
        try
        {
            await settle(message);
        }
        catch (Exception ex)
        {
            LogSettleFailed(logger, message.MessageId, ex.Message);
        }
    }

    /// <summary>One delivery: read the envelope, skip what is not ours or already done, else run its handler and settle.</summary>
    private async Task ProcessDeliveryAsync(IReceivedMessage message)
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
        var envelope = CloudEvents.TryParse(message.Body, out var problem);
        if (envelope is null)
        {
            await DeadLetterAsync(message, "unreadable", $"not a CloudEvent: {problem}", cancellation);
        }

        return envelope;
    }

    /// <summary>Runs the handler in its own scope and trace span; completes on success, settles a failure.</summary>
    private async Task HandleAsync(IReceivedMessage message, CloudEvent envelope, Func<IServiceProvider, CloudEvent, CancellationToken, Task> handler, CancellationToken cancellation)
    {
        using var activity = MessagingTelemetry.Source.StartActivity($"process {envelope.Type}", ActivityKind.Consumer, envelope.ParentContext());
        activity?.SetTag("messaging.destination.subscription.name", subscription);
        activity?.SetTag("messaging.message.id", envelope.Id);
        activity?.SetTag("messaging.message.delivery_count", message.DeliveryCount);
        var clock = Stopwatch.StartNew();
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                await handler(scope.ServiceProvider, envelope, cancellation);
            }

            // Recorded before completing: if completing fails, the redelivery is completed without a rerun.
            _processed.Complete(envelope.Id);
            await message.CompleteAsync(CancellationToken.None);
            MessagingTelemetry.Handled.Add(1, new KeyValuePair<string, object?>("type", envelope.Type));
            MessagingTelemetry.Duration.Record(clock.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("type", envelope.Type));
        }
        catch (Exception ex)
        {
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

}

using Microsoft.Extensions.Logging;

namespace Dental.Messaging.StorageQueues;

/// <summary>
/// The message pump Storage Queues lack (Service Bus has its processor): receives while a handler slot is free,
/// polls an idle queue at doubling pauses, renews each message's visibility while its handler runs, and on stop
/// receives nothing more and waits for the handlers in flight.
/// </summary>
internal sealed partial class StorageQueueProcessor(
    StorageQueueTransport transport, string topic, string subscription, Func<IReceivedMessage, Task> handle, MessagingOptions options, ILogger logger)
    : IMessageProcessor
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _inFlight = [];
    private Task _pump = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _pump = Task.Run(() => PumpAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _pump;
    }

    public ValueTask DisposeAsync()
    {
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task PumpAsync(CancellationToken stopping)
    {
        using var slots = new SemaphoreSlim(options.MaxConcurrency);
        var idleDelay = TimeSpan.Zero;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await slots.WaitAsync(stopping);
                var free = slots.CurrentCount + 1;
                IReadOnlyList<IReceivedMessage> messages;
                try
                {
                    messages = await transport.ReceiveAsync(topic, subscription, Math.Min(free, 32), options.LockDuration, stopping);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    slots.Release();
                    LogReceiveFailed(logger, $"{topic}/{subscription}", ex.Message);
                    await Task.Delay(options.MaxIdlePollDelay, stopping);
                    continue;
                }

                if (messages.Count == 0)
                {
                    slots.Release();
                    idleDelay = Backoff.Doubled(idleDelay, TimeSpan.FromMilliseconds(20), options.MaxIdlePollDelay);
                    await Task.Delay(idleDelay, stopping);
                    continue;
                }

                idleDelay = TimeSpan.Zero;
                for (var i = 1; i < messages.Count; i++)
                {
                    await slots.WaitAsync(CancellationToken.None);
                }

                lock (_inFlight)
                {
                    _inFlight.RemoveAll(t => t.IsCompleted);
                    _inFlight.AddRange(messages.Select(m => HandleAndReleaseAsync((StorageQueueTransport.Received)m, slots)));
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        // The slots outlive the pump while handlers finish: wait for them before the semaphore goes.
        Task drained;
        lock (_inFlight)
        {
            drained = Task.WhenAll(_inFlight);
        }

        await drained;
    }

    private async Task HandleAndReleaseAsync(StorageQueueTransport.Received message, SemaphoreSlim slots)
    {
        using var renewal = new CancellationTokenSource();
        var renewing = RenewWhileRunningAsync(message, renewal.Token);
        try
        {
            await handle(message);
        }
        finally
        {
            await renewal.CancelAsync();
            await renewing;
            message.Dispose();
            slots.Release();
        }
    }

    private async Task RenewWhileRunningAsync(StorageQueueTransport.Received message, CancellationToken done)
    {
        var until = DateTimeOffset.UtcNow + options.MaxLockRenewal;
        try
        {
            while (DateTimeOffset.UtcNow < until)
            {
                await Task.Delay(options.LockDuration / 2, done);
                await message.RenewLockAsync(options.LockDuration, done);
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

    [LoggerMessage(LogLevel.Warning, "Receiving from {Subscription} failed: {Reason}")]
    private static partial void LogReceiveFailed(ILogger logger, string subscription, string reason);

    [LoggerMessage(LogLevel.Warning, "Renewing the lock of {MessageId} failed: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string messageId, string reason);
}

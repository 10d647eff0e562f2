using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;

namespace Dental.Messaging.ServiceBus;

/// <summary>
/// A subscription's <see cref="ServiceBusProcessor"/>: concurrency, prefetch and lock renewal from the messaging
/// options; the handler settles every message itself (no auto-complete).
/// </summary>
internal sealed partial class ServiceBusMessageProcessor : IMessageProcessor
{
    private readonly ServiceBusProcessor _processor;
    private readonly Func<IReceivedMessage, Task> _handle;
    private readonly MessagingOptions _options;
    private readonly ILogger _logger;

    public ServiceBusMessageProcessor(ServiceBusClient client, string topic, string subscription, Func<IReceivedMessage, Task> handle, MessagingOptions options, ILogger logger)
    {
        _processor = client.CreateProcessor(topic, subscription, new ServiceBusProcessorOptions
        {
            AutoCompleteMessages = false,
            MaxConcurrentCalls = options.MaxConcurrency,
            PrefetchCount = options.ServiceBus.PrefetchCount,
            MaxAutoLockRenewalDuration = options.MaxLockRenewal,
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
        });
        (_handle, _options, _logger) = (handle, options, logger);
        _processor.ProcessMessageAsync += args => _handle(new ServiceBusTransport.Received(args, _options.LockDuration));
        _processor.ProcessErrorAsync += args =>
        {
            LogError(_logger, args.EntityPath, args.ErrorSource.ToString(), args.Exception.Message);
            return Task.CompletedTask;
        };
    }

    public Task StartAsync(CancellationToken cancellationToken) => _processor.StartProcessingAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _processor.StopProcessingAsync(cancellationToken);

    public ValueTask DisposeAsync() => _processor.DisposeAsync();

    [LoggerMessage(LogLevel.Warning, "Service Bus processor of {EntityPath} ({Source}): {Reason}")]
    private static partial void LogError(ILogger logger, string entityPath, string source, string reason);
}

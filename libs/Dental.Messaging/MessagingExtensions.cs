using Azure.Messaging.ServiceBus;
using Azure.Storage.Queues;
using Dental.AzureClients;
using Dental.Messaging.ServiceBus;
using Dental.Messaging.StorageQueues;
using Dental.ServiceDefaults;
using Dental.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dental.Messaging;

public static class MessagingExtensions
{
    /// <summary>The messaging port: a publisher, and the transport chosen by Messaging:Transport.</summary>
    public static MessagingBuilder AddMessaging(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<MessagingOptions>(MessagingOptions.Section)
            .PostConfigure(o => o.Topics = o.Topics.Count > 0 ? o.Topics : MessagingOptions.DefaultTopics);
        services.TryAddTimeProvider();
        services.TryAddSingleton(sp => CreateServiceBusClient(sp.GetRequiredService<IOptions<MessagingOptions>>().Value.ServiceBus));
        services.AddSingleton<IMessageTransport>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<MessagingOptions>>().Value;
            return options.Transport switch
            {
                MessagingTransport.ServiceBus => new ServiceBusTransport(sp.GetRequiredService<ServiceBusClient>(), options, sp.GetRequiredService<ILogger<IMessageTransport>>()),
                _ => new StorageQueueTransport(CreateQueueService(options.StorageQueues), options, sp.GetRequiredService<ILogger<IMessageTransport>>()),
            };
        });
        services.AddSingleton<IEventPublisher, EventPublisher>();
        services.AddSingleton<DeadLetters>();
        services.AddSingleton<ErasureDeadLetters>();
        services.AddStartupInitializer("message queues", async (sp, ct) =>
        {
            var transport = sp.GetRequiredService<IMessageTransport>();
            foreach (var (topic, subscriptions) in sp.GetRequiredService<IOptions<MessagingOptions>>().Value.Topics)
            {
                foreach (var subscription in subscriptions)
                {
                    await transport.EnsureCreatedAsync(topic, subscription, ct);
                }
            }
        });
        services.AddHealthChecks().AddReadinessProbe("messaging", async (sp, ct) =>
        {
            var options = sp.GetRequiredService<IOptions<MessagingOptions>>().Value;
            var topic = options.Topics.Keys.First();
            await sp.GetRequiredService<IMessageTransport>().ProbeAsync(topic, options.Topics[topic][0], ct);
        });
        var consumed = new ConsumedSubscriptions();
        services.AddSingleton(consumed);
        return new MessagingBuilder(services, consumed);
    }

    /// <summary>Microsoft Entra ID on the namespace's endpoint, or a connection string (registered once; tests put an in-memory client in its place).</summary>
    public static ServiceBusClient CreateServiceBusClient(ServiceBusSettings settings) =>
        string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? new ServiceBusClient(settings.Endpoint!.Host, AzureCredentials.Default)
            : new ServiceBusClient(settings.ConnectionString);

    public static QueueServiceClient CreateQueueService(StorageQueueSettings settings)
    {
        var options = AzureClientDefaults.Configure(new QueueClientOptions());
        return string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? new QueueServiceClient(settings.ServiceUri, AzureCredentials.Default, options)
            : new QueueServiceClient(settings.ConnectionString, options);
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}

public sealed class MessagingBuilder(IServiceCollection services, ConsumedSubscriptions consumed)
{

    public IServiceCollection Services { get; } = services;

    /// <summary>Consumes <paramref name="subscription"/> of <paramref name="topic"/> with the handlers added next; its dead letters are swept past their retention.</summary>
    public SubscriptionBuilder AddSubscription(string topic, string subscription)
    {
        if (consumed.Count == 0)
        {
            Services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<DeadLetterRetention>(sp, (IReadOnlyList<(string, string)>)consumed));
        }

        consumed.Add((topic, subscription));
        var registry = new EventHandlerRegistry();
        Services.AddSingleton<IHostedService>(sp => new EventConsumer(
            topic,
            subscription,
            registry,
            sp.GetRequiredService<IMessageTransport>(),
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<IOptions<MessagingOptions>>(),
            new DependencyGate(sp.GetService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>(), sp.GetRequiredService<IOptions<MessagingOptions>>().Value),
            sp.GetRequiredService<ILogger<EventConsumer>>()));
        return new SubscriptionBuilder(Services, registry);
    }
}

public sealed class SubscriptionBuilder(IServiceCollection services, EventHandlerRegistry registry)
{
    public SubscriptionBuilder Handle<T, THandler>(string eventType)
        where THandler : class, IEventConsumerHandler<T>
    {
        services.TryAddScoped<THandler>();
        registry.Add<T, THandler>(eventType);
        return this;
    }
}

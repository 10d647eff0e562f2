using Dental.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dental.IntegrationTests.Messaging;

/// <summary>A host running the real messaging registration with the probe handler on topic "images", subscription "catalog".</summary>
public static class ConsumerHost
{
    public const string Topic = "images";
    public const string Subscription = "catalog";

    /// <param name="services">Registrations made before the messaging ones, which then keep them (an in-memory Service Bus client).</param>
    public static async Task<IHost> StartAsync(IReadOnlyDictionary<string, string?> settings, HandlerProbe probe, bool consume = true, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "conformance", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(probe);
        builder.Services.AddHealthChecks().AddCheck("dependency", () => probe.CheckDependency()
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy()
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy(), [Dental.ServiceDefaults.Health.HealthEndpoints.ReadyTag]);
        services?.Invoke(builder.Services);
        var messaging = builder.AddMessaging();
        if (consume)
        {
            messaging.AddSubscription(Topic, Subscription).Handle<ProbeEvent, ProbeHandler>(ProbeEvent.EventType);
        }

        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static Task PublishAsync(this IHost host, ProbeEvent data, string? id = null) =>
        host.Services.GetRequiredService<IEventPublisher>().PublishAsync(
            Topic, ProbeEvent.EventType, id ?? Guid.NewGuid().ToString(), "probe", data, CancellationToken.None);
}

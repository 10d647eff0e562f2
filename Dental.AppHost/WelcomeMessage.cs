using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dental.AppHost;

/// <summary>Once the gateway is healthy, says where everything is and how to get a development token.</summary>
internal sealed class WelcomeMessage(ResourceNotificationService notifications, AppHostSettings settings) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gateway = await notifications.WaitForResourceHealthyAsync("gateway", stoppingToken);
        // Endpoint URLs render as localhost; the services listen on 127.0.0.1 only.
        var url = (gateway.Snapshot.Urls.FirstOrDefault(u => !u.IsInternal)?.Url ?? $"http://127.0.0.1:{settings.GatewayPort}")
            .Replace("//localhost:", "//127.0.0.1:", StringComparison.Ordinal);
        Console.WriteLine($"""

            The dental image platform is running.
              gateway    {url}   (the web client; sign in with the development role picker)
              dashboard  the "Login to the dashboard at …" link above (resources, console and structured logs, traces, metrics)
              token      curl -s -X POST {url}/dev/token -H 'Content-Type: application/json' -d '{"{"}"role":"clinician","sub":"dr-who","clinic":"clinic-a"{"}"}'
              data       {settings.DataPath}
            Press Ctrl+C to stop everything.

            """);
    }
}

internal static class WelcomeMessageExtensions
{
    public static IServiceCollection AddWelcomeMessage(this IServiceCollection services, AppHostSettings settings) =>
        services.AddSingleton(settings).AddHostedService<WelcomeMessage>();
}

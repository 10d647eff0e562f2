using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dental.ServiceDefaults;

public static partial class StartupInitializer
{
    /// <summary>
    /// Runs a set-up step (create containers, queues, a database) in the background until it succeeds:
    /// a local emulator may still be starting, and readiness reports the gap meanwhile.
    /// </summary>
    public static IServiceCollection AddStartupInitializer(
        this IServiceCollection services, string name, Func<IServiceProvider, CancellationToken, Task> initialize)
    {
        return services.AddSingleton<IHostedService>(sp => new Initializer(
            name, ct => initialize(sp, ct), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupInitializer))));
    }

    private sealed class Initializer(string name, Func<CancellationToken, Task> initialize, ILogger logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await initialize(stoppingToken);
                    return;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogNotReady(logger, name, ex.Message.Split('\n')[0]);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Name} not initialized yet: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string name, string reason);
}

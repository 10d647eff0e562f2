using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dental.ServiceDefaults.Health;

public static class ReadinessCheckExtensions
{
    /// <summary>
    /// Registers a readiness check that probes a dependency with a short timeout; any exception makes
    /// the service unready, with the exception's message (never data) as the description.
    /// </summary>
    public static IHealthChecksBuilder AddReadinessProbe(
        this IHealthChecksBuilder builder, string name, Func<IServiceProvider, CancellationToken, Task> probe)
    {
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new ProbeHealthCheck(sp, probe),
            HealthStatus.Unhealthy,
            [HealthEndpoints.ReadyTag],
            TimeSpan.FromSeconds(5)));
    }

    private sealed class ProbeHealthCheck(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task> probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await probe(services, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy(ex.GetType().Name + ": " + ex.Message.Split('\n')[0]);
            }
        }
    }
}

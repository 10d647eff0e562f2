using Dental.ServiceDefaults.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dental.Messaging;

/// <summary>
/// A circuit breaker in front of a consumer: once a handler fails because a dependency is down (Cosmos DB, Blob
/// Storage), no more messages are received until the service's readiness checks pass again (asked with doubling
/// pauses). An outage so costs one delivery of the messages in flight when it began, not a delivery per retry,
/// and a small MaxDeliveryCount still dead-letters nothing because of it.
/// </summary>
public sealed class DependencyGate(HealthCheckService? health, MessagingOptions options)
{
    private volatile bool _open;

    public bool IsOpen => _open;

    /// <summary>A dependency failed: stop receiving.</summary>
    public void Trip() => _open = true;

    /// <summary>Returns at once while closed; while open, when the readiness checks pass.</summary>
    public async Task WaitUntilClosedAsync(CancellationToken cancellationToken)
    {
        var pause = options.RetryBaseDelay > TimeSpan.Zero ? options.RetryBaseDelay : TimeSpan.FromMilliseconds(100);
        while (_open)
        {
            await Task.Delay(pause, cancellationToken);
            if (health is null || (await health.CheckHealthAsync(c => c.Tags.Contains(HealthEndpoints.ReadyTag), cancellationToken)).Status == HealthStatus.Healthy)
            {
                _open = false;
            }

            pause = Backoff.Doubled(pause, TimeSpan.Zero, options.MaxRetryDelay);
        }
    }
}

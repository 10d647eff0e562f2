using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Dental.ServiceDefaults.Resilience;

public static class ResilienceExtensions
{
    /// <summary>Calls to Azure services (Blob, Queue, Cosmos, Service Bus) that are not HTTP requests of ours.</summary>
    public const string Azure = "azure";

    /// <summary>
    /// HTTP clients get the standard resilience handler and service discovery (Aspire's service defaults).
    /// Calls through the Azure SDKs are not HttpClientFactory calls, so a Polly.Core pipeline keyed
    /// <see cref="Azure"/> guards the few that must fail fast: an overall timeout, jittered exponential retry
    /// on transient faults only, and a circuit breaker so a dead dependency fails fast instead of piling up
    /// waiting calls.
    /// </summary>
    public static IServiceCollection AddDentalResilience(this IServiceCollection services)
    {
        services.AddServiceDiscovery();
        services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        services.AddResiliencePipeline(Azure, builder => Build(builder, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)));
        return services;
    }

    private static void Build(ResiliencePipelineBuilder builder, TimeSpan total, TimeSpan attempt)
    {
        var transient = new PredicateBuilder().Handle<Exception>(TransientFaults.IsTransient);
        builder
            .AddTimeout(total)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(5),
            })
            .AddTimeout(attempt);
    }
}

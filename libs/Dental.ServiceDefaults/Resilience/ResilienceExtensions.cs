using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;

namespace Dental.ServiceDefaults.Resilience;

public static class ResilienceExtensions
{
    /// <summary>Calls to Azure services (Blob, Queue, Cosmos, Service Bus).</summary>
    public const string Azure = "azure";

    /// <summary>Calls between our own services.</summary>
    public const string Http = "http";

    /// <summary>
    /// Polly.Core pipelines registered by hand (Microsoft.Extensions.Http.Resilience is not in the
    /// registry here): an overall timeout, jittered exponential retry on transient faults only, and a
    /// circuit breaker so a dead dependency fails fast instead of piling up waiting calls.
    /// </summary>
    public static IServiceCollection AddDentalResilience(this IServiceCollection services)
    {
        var registry = new ResiliencePipelineRegistry<string>();
        registry.TryAddBuilder(Azure, (builder, _) => Build(builder, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)));
        registry.TryAddBuilder(Http, (builder, _) => Build(builder, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5)));
        services.AddSingleton<ResiliencePipelineProvider<string>>(registry);
        return services;
    }

    /// <summary>Calls of this client to our own services go through the <see cref="Http"/> pipeline.</summary>
    public static IHttpClientBuilder AddServiceResilience(this IHttpClientBuilder client) =>
        client.AddHttpMessageHandler(sp => new ResilientHttpHandler(sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(Http)));

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

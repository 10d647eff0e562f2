using System.Globalization;
using System.Threading.RateLimiting;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.Health;
using Microsoft.Extensions.Options;

namespace Dental.Gateway;

internal static class PerUserRateLimiting
{
    /// <summary>
    /// A fixed window of requests per signed-in user (per client address before sign-in); health probes
    /// are not counted. Refusals are 429 problem details with Retry-After.
    /// </summary>
    public static IServiceCollection AddPerUserRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<IOptions<GatewayOptions>>((limiter, gateway) =>
            {
                var settings = gateway.Value;
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    context.Request.Path.StartsWithSegments(HealthEndpoints.Prefix)
                        ? RateLimitPartition.GetNoLimiter("health")
                        : RateLimitPartition.GetFixedWindowLimiter(
                            context.User.FindFirst(TokenSubject.ClaimType)?.Value is { } user ? "user:" + user : "ip:" + context.Connection.RemoteIpAddress,
                            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.RequestsPerWindow, Window = settings.RateLimitWindow, QueueLimit = 0 }));
                limiter.OnRejected = async (rejected, cancellationToken) =>
                {
                    var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : settings.RateLimitWindow;
                    rejected.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, type: ProblemTypes.TooManyRequests,
                        title: "Too many requests", detail: "Slow down and retry after the time in Retry-After.").ExecuteAsync(rejected.HttpContext);
                };
            });
        return services;
    }
}

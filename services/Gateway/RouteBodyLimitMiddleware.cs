using Dental.Contracts.Api;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Dental.Gateway;

/// <summary>
/// Per-route request body limits: large on upload routes (route metadata "BodyLimit": "upload"), small
/// elsewhere. A declared length above the limit is refused at once with 413; a chunked body is cut by
/// Kestrel at the same limit while it streams through (nothing is buffered here).
/// </summary>
public sealed class RouteBodyLimitMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var route = context.GetReverseProxyFeature().Route.Config;
        var limit = route.Metadata?.GetValueOrDefault("BodyLimit") == "upload" ? options.Value.MaxUploadRequestBytes : options.Value.MaxRequestBytes;
        if (context.Request.ContentLength > limit)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                type: ProblemTypes.RequestTooLarge,
                title: "Request too large",
                detail: $"This route accepts at most {limit} bytes.").ExecuteAsync(context);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}

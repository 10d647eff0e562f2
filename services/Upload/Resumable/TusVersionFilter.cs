using Dental.Contracts.Api;

namespace Dental.Upload.Resumable;

/// <summary>Every tus answer names the protocol version; every request but discovery (OPTIONS) must speak it (412 otherwise).</summary>
public sealed class TusVersionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers[TusProtocol.Resumable] = TusProtocol.Version;
        if (!HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers[TusProtocol.Resumable] != TusProtocol.Version)
        {
            http.Response.Headers[TusProtocol.SupportedVersions] = TusProtocol.Version;
            return Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, type: ProblemTypes.MalformedRequest, title: "Unsupported tus version",
                detail: $"Send {TusProtocol.Resumable}: {TusProtocol.Version}.");
        }

        return await next(context);
    }
}

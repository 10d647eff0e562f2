using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Dental.Gateway;

/// <summary>
/// Every request gets an X-Request-Id (the caller's, when it is a sane token, else a new one), passed to
/// the backends and echoed on the response together with the W3C trace id (traceresponse), so a clinic's
/// support ticket can be matched to one trace.
/// </summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        var requestId = SafeId().IsMatch(incoming) ? incoming : Guid.NewGuid().ToString("N");
        context.Request.Headers[Header] = requestId;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = requestId;
            if (Activity.Current is { } activity)
            {
                context.Response.Headers["traceresponse"] = $"00-{activity.TraceId}-{activity.SpanId}-{(activity.Recorded ? "01" : "00")}";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    // \z, not $: $ also matches before a final newline.
    [GeneratedRegex(@"\A[A-Za-z0-9._-]{1,128}\z")]
    private static partial Regex SafeId();
}

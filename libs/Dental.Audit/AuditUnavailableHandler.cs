using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Dental.Audit;

/// <summary>A request whose audit record could not be stored is answered 503 (try again), never with its data.</summary>
internal sealed class AuditUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not AuditUnavailableException || http.Response.HasStarted)
        {
            return false;
        }

        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Audit trail unavailable",
                Detail = "The request could not be recorded in the audit trail, so it was not answered. Try again shortly.",
            },
        });
    }
}

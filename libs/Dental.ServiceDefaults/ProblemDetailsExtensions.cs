using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Dental.ServiceDefaults;

public static class ProblemDetailsExtensions
{
    /// <summary>Every error is RFC 9457 problem details carrying the request's trace id.</summary>
    public static IServiceCollection AddDentalProblemDetails(this IServiceCollection services)
    {
        return services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var traceId = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Extensions["traceId"] = traceId;
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        });
    }

    /// <summary>A problem detail for one offending input field.</summary>
    public static IResult FieldProblem(int status, string type, string title, string field, string detail)
    {
        return Results.Problem(
            statusCode: status,
            type: type,
            title: title,
            detail: detail,
            extensions: new Dictionary<string, object?> { ["field"] = field });
    }
}

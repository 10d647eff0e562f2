using System.Globalization;
using Dental.Audit;
using Dental.Upload.Validation;

namespace Dental.Upload;

/// <summary>How an upload's answer or refusal is written: the body or a problem detail naming the field, and its headers.</summary>
internal static class UploadResults
{
    public static IResult From(UploadAnswer answer, HttpContext http)
    {
        if (answer.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        if (answer.Rejection is { } rejection)
        {
            return Problem(rejection, http);
        }

        http.AuditImages(answer.Body!.Items.Select(i => i.Id.ToString("D")));
        return answer.Status == StatusCodes.Status201Created ? Results.Created(answer.Location, answer.Body) : Results.Ok(answer.Body);
    }

    public static IResult Problem(UploadRejection rejection, HttpContext http)
    {
        if (rejection.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return rejection.Field is { } field
            ? ServiceDefaults.ProblemDetailsExtensions.FieldProblem(rejection.Status, rejection.Type, rejection.Title, field, rejection.Detail)
            : Results.Problem(statusCode: rejection.Status, type: rejection.Type, title: rejection.Title, detail: rejection.Detail);
    }
}

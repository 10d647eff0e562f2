using Dental.Contracts.Api;
using Dental.ServiceDefaults;

namespace Dental.Catalog.Api;

internal static class CatalogProblems
{
    public static IResult Invalid(string field, string detail) =>
        ProblemDetailsExtensions.FieldProblem(StatusCodes.Status400BadRequest, ProblemTypes.InvalidField, "Invalid field", field, detail);

    public static IResult ImageNotFound() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, type: ProblemTypes.NotFound, title: "Not found", detail: "No such image for this patient.");

    public static IResult PreviewNotReady(string size) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, type: ProblemTypes.NotFound, title: "Preview not ready",
            detail: $"The {size} preview does not exist yet; it appears once the image is processed.");

    public static IResult PreconditionRequired() =>
        Results.Problem(statusCode: StatusCodes.Status428PreconditionRequired, type: ProblemTypes.PreconditionRequired, title: "If-Match required",
            detail: "Send the image's ETag (from GET) in If-Match, so that a change made meanwhile is not overwritten.");

    public static IResult EditConflict() =>
        Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, type: ProblemTypes.EditConflict, title: "Changed meanwhile",
            detail: "The image changed since it was read: read it again, then apply the edit to what it is now.");

    public static IResult ImageBusy(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, type: ProblemTypes.ImageBusy, title: "Image cannot be corrected now", detail: detail);
}

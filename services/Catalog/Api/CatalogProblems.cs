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
}

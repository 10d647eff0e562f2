using Dental.Contracts.Api;

namespace Dental.Upload.Validation;

/// <summary>Why an upload is refused: becomes a problem detail naming the field, and a metric reason.</summary>
public sealed record UploadRejection(int Status, string Type, string Title, string Field, string Detail)
{
    public string Reason => Type[(Type.LastIndexOf('/') + 1)..];

    public static UploadRejection Invalid(string field, string detail) =>
        new(StatusCodes.Status400BadRequest, ProblemTypes.InvalidField, "Invalid field", field, detail);

    public static UploadRejection Missing(string field) =>
        new(StatusCodes.Status400BadRequest, ProblemTypes.MissingField, "Missing field", field, $"The form field '{field}' is required.");
}

/// <summary>Thrown inside the upload pipeline to stop at the first refusal; caught once and turned into a problem.</summary>
public sealed class UploadRejectedException(UploadRejection rejection) : Exception(rejection.Detail)
{
    public UploadRejection Rejection { get; } = rejection;
}

using Dental.Contracts.Api;

namespace Dental.Upload.Validation;

/// <summary>Why an upload is refused: becomes a problem detail naming the field, and a metric reason.</summary>
public sealed record UploadRejection(int Status, string Type, string Title, string? Field, string Detail)
{
    public string Reason => Type[(Type.LastIndexOf('/') + 1)..];

    /// <summary>When set, the client may retry the same request after this long (a Retry-After header).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static UploadRejection Invalid(string field, string detail) =>
        new(StatusCodes.Status400BadRequest, ProblemTypes.InvalidField, "Invalid field", field, detail);

    /// <summary>Storage failed mid-way: nothing was kept, and the same request may be sent again.</summary>
    public static UploadRejection Unavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "Storage unavailable", null,
            "The image could not be stored right now and nothing was kept. Retry the same request shortly.") { RetryAfter = TimeSpan.FromSeconds(5) };

    /// <summary>The patient was erased: nothing is stored for this patient id again.</summary>
    public static UploadRejection Erased() =>
        new(StatusCodes.Status410Gone, ProblemTypes.PatientErased, "Patient erased", "patientId",
            "This patient was erased (right to erasure); images are not stored for this patient id again.");

    public static UploadRejection InvalidPatientId() =>
        Invalid("patientId", "patientId must be 1–64 characters of letters, digits and '-'.");

    /// <summary>The file (or, for a resumable upload, its announced length) is above the size limit.</summary>
    public static UploadRejection FileTooLarge(string field, long maxFileBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, ProblemTypes.FileTooLarge, "File too large", field, $"The file is larger than the limit of {maxFileBytes} bytes.");

    public static UploadRejection EmptyFile(string field) =>
        new(StatusCodes.Status400BadRequest, ProblemTypes.EmptyFile, "Empty file", field, "The file is empty.");

    public static UploadRejection Missing(string field) =>
        new(StatusCodes.Status400BadRequest, ProblemTypes.MissingField, "Missing field", field, $"The form field '{field}' is required.");
}

/// <summary>Thrown inside the upload pipeline to stop at the first refusal; caught once and turned into a problem.</summary>
public sealed class UploadRejectedException(UploadRejection rejection) : Exception(rejection.Detail)
{
    public UploadRejection Rejection { get; } = rejection;
}

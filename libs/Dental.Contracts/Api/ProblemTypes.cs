namespace Dental.Contracts.Api;

/// <summary>Stable problem-detail types of the public API (RFC 9457 "type" URIs).</summary>
public static class ProblemTypes
{
    private const string Base = "https://dental.example/problems/";

    public const string InvalidField = Base + "invalid-field";
    public const string MissingField = Base + "missing-field";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string EmptyFile = Base + "empty-file";
    public const string FileTooLarge = Base + "file-too-large";
    public const string TooManyPixels = Base + "too-many-pixels";
    public const string CorruptImage = Base + "corrupt-image";
    public const string TooManyFiles = Base + "too-many-files";
    public const string NotFound = Base + "not-found";
    public const string Conflict = Base + "conflict";
    public const string IdempotencyKeyReused = Base + "idempotency-key-reused";
    public const string Unavailable = Base + "service-unavailable";
    public const string TooManyRequests = Base + "too-many-requests";
    public const string RequestTooLarge = Base + "request-too-large";
    public const string MalformedRequest = Base + "malformed-request";
    public const string FormTooLarge = Base + "form-too-large";
    public const string NoClinic = Base + "no-clinic";
    public const string ClinicNotServed = Base + "clinic-not-served";
    public const string PatientErased = Base + "patient-erased";
    public const string PreconditionRequired = Base + "if-match-required";
    public const string EditConflict = Base + "edit-conflict";
    public const string ImageBusy = Base + "image-busy";
    public const string UploadOffsetMismatch = Base + "upload-offset-mismatch";
    public const string ChecksumMismatch = Base + "checksum-mismatch";
    public const string UploadExpired = Base + "upload-expired";

    /// <summary>Every problem type with what it means, for the API's documentation.</summary>
    public static IReadOnlyDictionary<string, string> Meanings { get; } = new Dictionary<string, string>
    {
        [InvalidField] = "A field, query parameter or header has a value the API does not accept; `field` names it.",
        [MissingField] = "A required form field is missing; `field` names it.",
        [UnsupportedMediaType] = $"The request is not multipart/form-data, or a file is not a {Imaging.ImageFormat.Names} image (judged by its content).",
        [EmptyFile] = "A file part is empty.",
        [FileTooLarge] = "A file is larger than the size limit.",
        [TooManyPixels] = "An image declares more pixels than the limit for its kind.",
        [CorruptImage] = "An image's header cannot be read.",
        [TooManyFiles] = "A request carries more files than allowed.",
        [NotFound] = "No such patient image (or preview) for this caller.",
        [Conflict] = "The same request (Idempotency-Key) or the same image is being stored right now; retry after Retry-After.",
        [IdempotencyKeyReused] = "The Idempotency-Key was used before for a different request.",
        [Unavailable] = "A dependency is unavailable; nothing was kept; retry after Retry-After.",
        [TooManyRequests] = "The caller's rate limit is exhausted; retry after Retry-After.",
        [NoClinic] = "The token names no clinic (or not a valid clinic id): patient data is served only inside the caller's clinic.",
        [ClinicNotServed] = "The token's clinic is not registered with the platform, or it is suspended or closed.",
        [PatientErased] = "The patient was erased (right to erasure): nothing is stored for this patient id again.",
        [PreconditionRequired] = "An edit must name the version it was made against: send the image's ETag in If-Match.",
        [EditConflict] = "The image changed since the client read it (If-Match no longer matches): read it again and reapply the edit.",
        [ImageBusy] = "The image cannot be corrected now: it is processing, an earlier correction is being carried out, or it is deleted.",
        [RequestTooLarge] = "The request body is larger than the route accepts.",
        [MalformedRequest] = "The body is not a complete multipart/form-data message.",
        [FormTooLarge] = "The form has too many fields or characters.",
    };
}

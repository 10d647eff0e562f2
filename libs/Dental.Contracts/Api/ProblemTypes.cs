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
}

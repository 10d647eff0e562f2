using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;
using Dental.Upload.Idempotency;
using Dental.Upload.Validation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Dental.Upload;

public static class UploadApi
{
    public static IEndpointRouteBuilder MapUploadApi(this IEndpointRouteBuilder app)
    {
        var images = app.MapGroup("/api/v1/patients/{patientId}/images").RequireAuthorization(Policies.Upload);
        images.MapPost("/", UploadAsync)
            .AddEndpointFilter<IdempotencyFilter>()
            .Accepts<UploadResponse>("multipart/form-data")
            .Produces<UploadResponse>(StatusCodes.Status201Created)
            .Produces<UploadResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("UploadImages");
        return app;
    }

    private static async Task<IResult> UploadAsync(
        string patientId, HttpContext http, UploadProcessor processor, IOptions<UploadOptions> options, CancellationToken cancellationToken)
    {
        if (!PatientId.IsValid(patientId))
        {
            return UploadResults.Problem(UploadRejection.Invalid("patientId", "patientId must be 1–64 characters of letters, digits and '-'."), http);
        }

        if (MultipartBoundary(http.Request.ContentType) is not { } boundary)
        {
            return UploadResults.Problem(new UploadRejection(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported request",
                "Content-Type", "Send the files as multipart/form-data."), http);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            // Per-file limits are enforced while streaming; this only bounds the request as a whole.
            bodyLimit.MaxRequestBodySize = (options.Value.MaxFileBytes * options.Value.MaxFilesPerRequest) + (1024 * 1024);
        }

        // Authentication refuses tokens without a valid subject, so every upload names its uploader.
        var uploader = http.User.FindFirst(TokenSubject.ClaimType)!.Value;
        var attempt = http.Features.Get<IdempotentAttempt>();
        var answer = await processor.ProcessAsync(http.Request.Body, boundary, patientId, uploader, attempt is null ? null : attempt.BeforeCommit, cancellationToken);
        attempt?.Answer = answer;
        return UploadResults.From(answer, http);
    }

    private static string? MultipartBoundary(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
        && HeaderUtilities.RemoveQuotes(parsed.Boundary).Value is { Length: > 0 and <= 200 } boundary
            ? boundary
            : null;
}

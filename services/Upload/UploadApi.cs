using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;
using Dental.Upload.Storage;
using Dental.Upload.Validation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Dental.Upload;

public static class UploadApi
{
    private const int MaxIdempotencyKeyLength = 255;

    public static IEndpointRouteBuilder MapUploadApi(this IEndpointRouteBuilder app)
    {
        var images = app.MapGroup("/api/v1/patients/{patientId}/images").RequireAuthorization(Policies.Upload);
        images.MapPost("/", UploadAsync)
            .Accepts<UploadResponse>("multipart/form-data")
            .Produces<UploadResponse>(StatusCodes.Status201Created)
            .Produces<UploadResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("UploadImages");
        return app;
    }

    private static async Task<IResult> UploadAsync(
        string patientId, HttpContext http, UploadProcessor processor, IdempotencyStore idempotency, IOptions<UploadOptions> options, CancellationToken cancellationToken)
    {
        if (!PatientId.IsValid(patientId))
        {
            return Problem(UploadRejection.Invalid("patientId", "patientId must be 1–64 characters of letters, digits and '-'."));
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return Problem(new UploadRejection(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported request",
                "Content-Type", "Send the files as multipart/form-data."));
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            // Per-file limits are enforced while streaming; this only bounds the request as a whole.
            bodyLimit.MaxRequestBodySize = (options.Value.MaxFileBytes * options.Value.MaxFilesPerRequest) + (1024 * 1024);
        }

        // Authentication refuses tokens without a valid subject, so every upload names its uploader.
        var uploader = http.User.FindFirst(TokenSubject.ClaimType)!.Value;
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > MaxIdempotencyKeyLength)
        {
            return Problem(UploadRejection.Invalid("Idempotency-Key", $"Idempotency-Key must be at most {MaxIdempotencyKeyLength} characters."));
        }

        var answer = key.Length == 0
            ? await processor.ProcessAsync(http.Request.Body, boundary, patientId, uploader, beforeCommit: null, cancellationToken)
            : await IdempotentAsync(http, processor, idempotency, patientId, uploader, key, boundary, cancellationToken);
        if (answer.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        if (answer.Unavailable)
        {
            http.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, type: ProblemTypes.Unavailable, title: "Storage unavailable",
                detail: "The image could not be stored right now and nothing was kept. Retry the same request shortly.");
        }

        return answer.Rejection is { } rejection ? Problem(rejection) : Answer(answer.Status, answer.Body!, answer.Location);
    }

    /// <summary>
    /// The first request with a key runs under a short lease it renews; a retry after it succeeded replays its
    /// answer if it is the same request (same fingerprint) and is refused (422) if it is another; a retry while
    /// it runs gets 409; a failed or cut-off attempt frees the key at once.
    /// </summary>
    private static async Task<UploadAnswer> IdempotentAsync(
        HttpContext http, UploadProcessor processor, IdempotencyStore idempotency, string patientId, string uploader, string key, string boundary, CancellationToken cancellationToken)
    {
        var start = await idempotency.BeginAsync(patientId, uploader, key, cancellationToken);
        switch (start)
        {
            case IdempotencyStart.InProgress inProgress:
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(inProgress.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Refusal(new UploadRejection(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Request in progress", "Idempotency-Key",
                    "A request with this Idempotency-Key is still being processed; retry after the time in Retry-After."));
            case IdempotencyStart.Replay replay:
                return await processor.ProcessAsync(http.Request.Body, boundary, patientId, uploader, fingerprint => Task.FromResult<UploadAnswer?>(
                    fingerprint == replay.Record.Fingerprint
                        ? replay.Record.Replay()
                        : Refusal(new UploadRejection(StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, "Idempotency-Key reused", "Idempotency-Key",
                            "This Idempotency-Key was used for a different request; use a new key for a new request."))), cancellationToken);
        }

        var record = ((IdempotencyStart.Begun)start).RecordName;
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lease = idempotency.HoldAsync(record, attempt.Token);
        var fingerprint = "";
        UploadAnswer? answer = null;
        try
        {
            answer = await processor.ProcessAsync(http.Request.Body, boundary, patientId, uploader, f =>
            {
                fingerprint = f;
                return Task.FromResult<UploadAnswer?>(null);
            }, cancellationToken);
        }
        finally
        {
            await attempt.CancelAsync();
            await lease;
            await (answer is { Succeeded: true }
                ? idempotency.CompleteAsync(record, answer, fingerprint, CancellationToken.None)
                : idempotency.AbandonAsync(record, CancellationToken.None));
        }

        return answer;
    }

    private static UploadAnswer Refusal(UploadRejection rejection) => new(rejection.Status, null, null, rejection);

    private static IResult Answer(int status, UploadResponse body, string? location) =>
        status == StatusCodes.Status201Created ? Results.Created(location, body) : Results.Ok(body);

    private static IResult Problem(UploadRejection rejection) =>
        ServiceDefaults.ProblemDetailsExtensions.FieldProblem(rejection.Status, rejection.Type, rejection.Title, rejection.Field, rejection.Detail);
}

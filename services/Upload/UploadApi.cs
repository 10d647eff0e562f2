using System.Text.Json;
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

        string? record = null;
        if (key.Length > 0)
        {
            switch (await idempotency.BeginAsync(patientId, uploader, key, cancellationToken))
            {
                case IdempotencyStart.Replay replay:
                    http.Response.Headers["Idempotent-Replayed"] = "true";
                    return Answer(replay.Record.Status, JsonSerializer.Deserialize<UploadResponse>(replay.Record.Body!, JsonSerializerOptions.Web)!, replay.Record.Location);
                case IdempotencyStart.InProgress:
                    return Problem(new UploadRejection(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Request in progress", "Idempotency-Key",
                        "A request with this Idempotency-Key is still being processed; retry shortly."));
                case IdempotencyStart.Begun begun:
                    record = begun.RecordName;
                    break;
            }
        }

        var answer = await processor.ProcessAsync(http.Request.Body, boundary, patientId, uploader, cancellationToken);
        if (record is not null)
        {
            await (answer.Succeeded
                ? idempotency.CompleteAsync(record, answer.Status, JsonSerializer.Serialize(answer.Body, JsonSerializerOptions.Web), answer.Location, CancellationToken.None)
                : idempotency.AbandonAsync(record, CancellationToken.None));
        }

        if (answer.Unavailable)
        {
            http.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, type: ProblemTypes.Unavailable, title: "Storage unavailable",
                detail: "The image could not be stored right now and nothing was kept. Retry the same request shortly.");
        }

        return answer.Rejection is { } rejection ? Problem(rejection) : Answer(answer.Status, answer.Body!, answer.Location);
    }

    private static IResult Answer(int status, UploadResponse body, string? location) =>
        status == StatusCodes.Status201Created ? Results.Created(location, body) : Results.Ok(body);

    private static IResult Problem(UploadRejection rejection) =>
        ServiceDefaults.ProblemDetailsExtensions.FieldProblem(rejection.Status, rejection.Type, rejection.Title, rejection.Field, rejection.Detail);
}

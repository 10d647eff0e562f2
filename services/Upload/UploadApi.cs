using Dental.Audit;
using Dental.AzureClients;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;
using Dental.Upload.Duplicates;
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
            .Audited(AuditActions.ImagesUpload)
            .WithName("UploadImages")
            .WithTags(ApiTags.Uploads)
            .WithSummary("Upload images of one tooth and type")
            .WithDescription("Streams each file into storage while checking its real format and pixel size; nothing is kept unless every file is valid. " +
                "201 when at least one new image was stored, 200 when every file was already stored for this patient (each item says duplicate). " +
                "A duplicate is answered as the stored image is now, with its status: deleted means it is in the bin; restore it (POST …/restore) " +
                "rather than store it again.")
            .Accepts<UploadFormContract>("multipart/form-data")
            .WithRequestHeader(IdempotencyFilter.Header, "Any unique string (at most 255 characters): a retry of the same request gets the first answer.")
            .Produces<UploadResponse>(StatusCodes.Status201Created)
            .WithResponseHeader(StatusCodes.Status201Created, "Location", "The first new image.")
            .Produces<UploadResponse>(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status410Gone, StatusCodes.Status413PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status503ServiceUnavailable)
            .WithResponseHeader(StatusCodes.Status409Conflict, "Retry-After", "Seconds to wait before retrying.")
            .WithResponseHeader(StatusCodes.Status503ServiceUnavailable, "Retry-After", "Seconds to wait before retrying.");
        images.MapPost("/{imageId:guid}/variants", UploadVariantsAsync)
            .AddEndpointFilter<IdempotencyFilter>()
            .Audited(AuditActions.ImagesUpload)
            .WithName("UploadVariants")
            .WithTags(ApiTags.Uploads)
            .WithSummary("Attach variants (annotated, heatmap, segmentation) to an original")
            .WithDescription("The same streaming, validation and dedupe rules as uploads. A variant is stored under its original's tooth and type, gets its own " +
                "small and medium previews, is listed with the original (variants, GET …/variants) and follows it through deletion, restore, correction, " +
                "erasure and export; it never counts as an image of its own. The producer is the user, or for an integration (service) its model and modelVersion.")
            .Accepts<VariantFormContract>("multipart/form-data")
            .WithRequestHeader(IdempotencyFilter.Header, "Any unique string (at most 255 characters): a retry of the same request gets the first answer.")
            .Produces<UploadResponse>(StatusCodes.Status201Created)
            .WithResponseHeader(StatusCodes.Status201Created, "Location", "The first new variant.")
            .Produces<UploadResponse>(StatusCodes.Status200OK)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status410Gone,
                StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status503ServiceUnavailable)
            .WithResponseHeader(StatusCodes.Status503ServiceUnavailable, "Retry-After", "Seconds to wait before retrying.");
        return app;
    }

    private static Task<IResult> UploadAsync(
        string patientId, HttpContext http, UploadProcessor processor, CatalogImages catalog, ErasureTombstones tombstones, IOptions<UploadOptions> options,
        CancellationToken cancellationToken) =>
        ProcessAsync(patientId, null, http, processor, catalog, tombstones, options, cancellationToken);

    private static Task<IResult> UploadVariantsAsync(
        string patientId, Guid imageId, HttpContext http, UploadProcessor processor, CatalogImages catalog, ErasureTombstones tombstones, IOptions<UploadOptions> options,
        CancellationToken cancellationToken) =>
        ProcessAsync(patientId, imageId, http, processor, catalog, tombstones, options, cancellationToken);

    /// <summary>Both routes: originals, or (<paramref name="originalId"/> given) variants of an original the Catalog shows the caller.</summary>
    private static async Task<IResult> ProcessAsync(
        string patientId, Guid? originalId, HttpContext http, UploadProcessor processor, CatalogImages catalog, ErasureTombstones tombstones,
        IOptions<UploadOptions> options, CancellationToken cancellationToken)
    {
        if (!PatientId.IsValid(patientId))
        {
            return UploadResults.Problem(UploadRejection.InvalidPatientId(), http);
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
        var patient = http.User.Patient(patientId);
        if (await tombstones.IsErasedAsync(patient, cancellationToken))
        {
            return UploadResults.Problem(UploadRejection.Erased(), http);
        }

        VariantTarget? variant = null;
        if (originalId is { } id)
        {
            ImageResource? original;
            try
            {
                original = await catalog.GetAsync(patientId, id, http.Request.Headers.Authorization, cancellationToken);
            }
            catch (HttpRequestException)
            {
                return UploadResults.Problem(UploadRejection.Unavailable(), http);
            }

            if (OriginalRefusal(original) is { } refusal)
            {
                return UploadResults.Problem(refusal, http);
            }

            variant = new VariantTarget(id, original!.Tooth, original.Notation, original.Type, uploader, http.User.IsInRole(Roles.Service));
        }

        var answer = await processor.ProcessAsync(http.Request.Body, boundary, patient, uploader, attempt is null ? null : attempt.BeforeCommit, cancellationToken, variant);
        if (answer.Body?.Items.Any(i => i.Duplicate == true) == true)
        {
            var described = await Task.WhenAll(answer.Body.Items.Select(i =>
                i.Duplicate == true ? catalog.DescribeAsync(i, http.Request.Headers.Authorization, cancellationToken) : Task.FromResult(i)));
            answer = answer with { Body = new UploadResponse(described) };
        }

        attempt?.Answer = answer;
        return UploadResults.From(answer, http);
    }

    /// <summary>Why no variant can be attached to <paramref name="original"/> (as the Catalog shows it), or null when one can.</summary>
    private static UploadRejection? OriginalRefusal(ImageResource? original) => original switch
    {
        null => new UploadRejection(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "Not found", "imageId", "No such image for this patient."),
        { Variant: not null } => UploadRejection.Invalid("imageId", "A variant is attached to an original, not to another variant."),
        { Status: ImageStatus.Deleted } => new UploadRejection(StatusCodes.Status409Conflict, ProblemTypes.ImageBusy, "Image deleted", "imageId",
            "The original is deleted: restore it before adding variants."),
        _ => null,
    };

    private static string? MultipartBoundary(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
        && HeaderUtilities.RemoveQuotes(parsed.Boundary).Value is { Length: > 0 and <= 200 } boundary
            ? boundary
            : null;
}

using System.Text.Json;
using Dental.Audit;
using Dental.Catalog.Corrections;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;
using Microsoft.Net.Http.Headers;

namespace Dental.Catalog.Api;

/// <summary>
/// Edits of an image's record with a JSON merge patch, guarded by its ETag (If-Match): tags, metadata and note at any time;
/// corrections of tooth, type and taken time once the image is processed, carried out on its blobs by their owners.
/// </summary>
internal static class ImageEditEndpoints
{
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>Far above the largest valid patch (a full note, 20 tags, 20 metadata entries).</summary>
    private const int MaxPatchBytes = 64 * 1024;

    public static void MapImageEdits(this RouteGroupBuilder patient)
    {
        patient.MapPatch("/images/{imageId:guid}", EditAsync).RequireAuthorization(Policies.Edit).Audited(AuditActions.ImageUpdate).WithName("EditImage").WithTags(ApiTags.Images)
            .WithSummary("Edit or correct an image's record")
            .WithDescription("A JSON merge patch (RFC 7396) of tags, metadata, note, and corrections of tooth (with notation), type and takenAt. Send the image's ETag " +
                "in If-Match: 412 when it changed since (read it again). A correction moves the image's blobs to the new tooth and type (the answer shows " +
                "the new values at once); it is refused with 409 while the image is processing, being moved, or deleted. Each change is kept in history.")
            .Accepts<ImagePatch>(MergePatch, "application/json")
            .WithRequestHeader("If-Match", "The ETag of the image as the client read it (GET answers it).", required: true)
            .Produces<ImageResource>()
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", "The image's new version.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed,
                StatusCodes.Status415UnsupportedMediaType, StatusCodes.Status428PreconditionRequired);
    }

    private static async Task<IResult> EditAsync(
        string patientId, Guid imageId, HttpContext http, DocumentStore store, ImageCorrections corrections, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !(contentType.MediaType.Equals(MergePatch, StringComparison.OrdinalIgnoreCase) || contentType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, type: ProblemTypes.UnsupportedMediaType, title: "Unsupported request",
                detail: $"Send a JSON merge patch ({MergePatch}).");
        }

        if (http.Request.Headers.IfMatch is not [{ Length: > 0 } ifMatch] || ifMatch == "*")
        {
            return CatalogProblems.PreconditionRequired();
        }

        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = MaxPatchBytes;
        }

        JsonElement patch;
        try
        {
            patch = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException)
        {
            return CatalogProblems.Invalid("body", "The body is not valid JSON.");
        }

        var patient = http.User.Patient(patientId);
        var current = await store.ReadAsync<ImageDocument>(patient, imageId.ToString("D"), cancellationToken);
        if (current is not { Uploaded: true, PurgingAt: null })
        {
            return CatalogProblems.ImageNotFound();
        }

        if (!RecordETags.Matches(current.ETag, ifMatch))
        {
            return CatalogProblems.EditConflict();
        }

        var at = time.GetUtcNow();
        var outcome = ImageEdits.Apply(current, patch, http.User.FindFirst(TokenSubject.ClaimType)!.Value, at);
        if (outcome.Refusal is { } refusal)
        {
            return CatalogProblems.Invalid(refusal.Field, refusal.Detail);
        }

        if (outcome.Corrects && Busy(current) is { } busy)
        {
            return CatalogProblems.ImageBusy(busy);
        }

        if (await store.ReplaceImageIfMatchAsync(current, outcome.Document!, cancellationToken) is not { } stored)
        {
            return CatalogProblems.EditConflict();
        }

        if (outcome.Corrects)
        {
            // Lost here (a crash, the bus down), the request is repeated by the recheck: the document says a correction is pending.
            await corrections.AnnounceAsync(stored, cancellationToken);
        }

        if (!ReferenceEquals(stored, current))
        {
            await store.RecordActivityAsync(patient, at, cancellationToken);
        }

        http.Response.Headers.ETag = RecordETags.Of(stored.ETag);
        return Results.Ok(await stored.ToResourceAsync(store, http.User, cancellationToken));
    }

    /// <summary>Why the image's blobs cannot be moved now, or null when they can.</summary>
    private static string? Busy(ImageDocument doc) =>
        doc.Upload!.Variant is not null ? "A variant has its original's tooth, type and time: correct the original, and its variants follow."
        : doc.DeletedAt is not null ? "The image is deleted: restore it before correcting it."
        : doc.Correction is not null ? "An earlier correction is still being carried out; try again shortly."
        : doc.Status is not (ImageStatus.Ready or ImageStatus.Failed) ? "The image is still processing; correct it once it is ready."
        : null;
}

/// <summary>The fields a merge patch may change (each optional; null clears tags, metadata, note or takenAt; a metadata key set to null goes).</summary>
public sealed record ImagePatch(
    IReadOnlyList<string>? Tags,
    IReadOnlyDictionary<string, string?>? Metadata,
    string? Note,
    string? Tooth,
    [property: System.ComponentModel.DataAnnotations.AllowedValues(ToothNotation.Fdi, ToothNotation.Universal)] string? Notation,
    string? Type,
    DateTimeOffset? TakenAt);

using Dental.Audit;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace Dental.Catalog.Api;

public sealed record ImagePage(IReadOnlyList<ImageResource> Items, string? ContinuationToken);

public sealed record PatientSummary(string PatientId, int Total, IReadOnlyDictionary<string, Dictionary<string, int>> Teeth, DateTimeOffset? LastUploadAt);

internal static class ImageQueryEndpoints
{
    public static void MapImageQueries(this RouteGroupBuilder patient)
    {
        patient.MapGet("/images", ListAsync).RequireAuthorization(Policies.Read).Audited(AuditActions.ImagesList).WithName("ListImages").WithTags(ApiTags.Images)
            .WithSummary("List a patient's images")
            .WithDescription("Newest first (taken, else uploaded), one page at a time; filters by tooth (in the given notation, fdi by default), type, tags " +
                "(repeat tag: every one must match) and date range. Deleted images only for admins (includeDeleted).")
            .WithParameterValues("type", ImageType.All)
            .WithParameterValues("notation", [ToothNotation.Fdi, ToothNotation.Universal])
            .Produces<ImagePage>()
            .ProducesProblems(StatusCodes.Status400BadRequest);
        patient.MapGet("/images/{imageId:guid}", GetAsync).RequireAuthorization(Policies.Read).Audited(AuditActions.ImageRead).WithName("GetImage").WithTags(ApiTags.Images)
            .WithSummary("Get an image's metadata")
            .WithDescription("The ETag it answers is what an edit (PATCH) sends in If-Match.")
            .Produces<ImageResource>()
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", "The image record's version.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        patient.MapGet("/images/{imageId:guid}/variants", VariantsAsync).RequireAuthorization(Policies.Read).Audited(AuditActions.ImageRead).WithName("ListVariants")
            .WithTags(ApiTags.Images)
            .WithSummary("List an original's variants")
            .WithDescription("Annotated, heatmap and segmentation images attached to the original, oldest first, each with its previews.")
            .Produces<List<ImageResource>>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        patient.MapGet("/summary", SummaryAsync).RequireAuthorization(Policies.Read).Audited(AuditActions.ChartRead).WithName("GetPatientSummary").WithTags(ApiTags.Patients)
            .WithSummary("Get the patient's dental chart")
            .WithDescription("Visible images per tooth and type, counted from the images themselves. Send the ETag back in If-None-Match to get 304 while it is unchanged.")
            .WithRequestHeader("If-None-Match", "The ETag of a chart the client has.")
            .Produces<PatientSummary>()
            .Produces(StatusCodes.Status304NotModified)
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", "The chart's version.")
            .ProducesProblems(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> ListAsync(
        string patientId, string? tooth, string? notation, string? type, [FromQuery] string[]? tag, DateTimeOffset? from, DateTimeOffset? to, int? pageSize,
        string? continuationToken, bool? includeDeleted, HttpContext http, DocumentStore store, IOptions<CatalogOptions> options, CancellationToken cancellationToken)
    {
        var size = pageSize ?? options.Value.DefaultPageSize;
        if (size is < 1 or > 100)
        {
            return CatalogProblems.Invalid("pageSize", "pageSize must be between 1 and 100.");
        }

        var toothNotation = notation?.ToLowerInvariant() ?? ToothNotation.Fdi;
        if (toothNotation is not (ToothNotation.Fdi or ToothNotation.Universal))
        {
            return CatalogProblems.Invalid("notation", "notation must be fdi or universal.");
        }

        Tooth? canonicalTooth = null;
        if (tooth is not null && !Tooth.TryParse(tooth, toothNotation, out canonicalTooth))
        {
            return CatalogProblems.Invalid("tooth", toothNotation == ToothNotation.Universal
                ? "tooth must be a Universal number 1–32 or letter A–T, or a region (full, upper, lower, q1–q4)."
                : "tooth must be an FDI tooth or a region (full, upper, lower, q1–q4).");
        }

        var tags = (tag ?? []).Select(t => t.Trim().ToLowerInvariant()).Distinct().ToList();
        if (tags.Count > ImageEdits.MaxTags || tags.Exists(t => t.Length is 0 or > ImageEdits.MaxTagLength))
        {
            return CatalogProblems.Invalid("tag", $"Give at most {ImageEdits.MaxTags} tags of 1–{ImageEdits.MaxTagLength} characters.");
        }

        string? canonicalType = null;
        if (type is not null && !ImageType.TryParse(type, out canonicalType))
        {
            return CatalogProblems.Invalid("type", $"type must be one of: {string.Join(", ", ImageType.All)}.");
        }

        if (!ImageQuery.TryDecodeToken(continuationToken, out var token))
        {
            return CatalogProblems.Invalid("continuationToken", "continuationToken is not one this API issued.");
        }

        if (includeDeleted == true && !http.User.IsInRole(Roles.Admin))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Only an admin may list deleted images.");
        }

        var patient = http.User.Patient(patientId);
        var query = new ImageQuery(patient, canonicalTooth?.Code, canonicalType, tags, from, to, includeDeleted == true);
        FeedResponse<ImageDocument> page;
        try
        {
            page = await store.QueryPageAsync<ImageDocument>(patient, query.ToDefinition(), token, size, cancellationToken);
        }
        catch (CosmosException ex) when (ex.StatusCode == System.Net.HttpStatusCode.BadRequest && token is not null)
        {
            return CatalogProblems.Invalid("continuationToken", "continuationToken is not valid for this query.");
        }

        http.Response.Headers["x-ms-request-charge"] = page.RequestCharge.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var items = await page.ToList().ToResourcesAsync(store, patient, http.User, cancellationToken);
        return Results.Ok(new ImagePage(items, ImageQuery.EncodeToken(page.ContinuationToken)));
    }

    private static async Task<IResult> GetAsync(string patientId, Guid imageId, HttpContext http, DocumentStore store, CancellationToken cancellationToken)
    {
        var doc = await store.ReadAsync<ImageDocument>(http.User.Patient(patientId), imageId.ToString("D"), cancellationToken);
        if (doc is not { Uploaded: true })
        {
            return CatalogProblems.ImageNotFound();
        }

        http.Response.Headers.ETag = RecordETags.Of(doc.ETag);
        return Results.Ok(await doc.ToResourceAsync(store, http.User, cancellationToken));
    }

    private static async Task<IResult> VariantsAsync(string patientId, Guid imageId, HttpContext http, DocumentStore store, CancellationToken cancellationToken)
    {
        var patient = http.User.Patient(patientId);
        var doc = await store.ReadAsync<ImageDocument>(patient, imageId.ToString("D"), cancellationToken);
        if (doc is not { Uploaded: true, DeletedAt: null } || doc.Upload!.Variant is not null)
        {
            return CatalogProblems.ImageNotFound();
        }

        var variants = await store.VariantsOfAsync(patient, [imageId], cancellationToken);
        return Results.Ok(variants.Where(v => v.Uploaded && v.DeletedAt is null).Select(v => v.ToResource(http.User)).ToList());
    }

    /// <summary>Counted from the documents on every request; the ETag lets a client that has this chart skip the body (304).</summary>
    private static async Task<IResult> SummaryAsync(string patientId, HttpContext http, DocumentStore store, CancellationToken cancellationToken)
    {
        var chart = await store.ChartAsync(http.User.Patient(patientId), cancellationToken);
        var summary = new PatientSummary(patientId, chart.Total, chart.Teeth, chart.LastUploadAt);
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(summary, System.Text.Json.JsonSerializerOptions.Web);
        var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body))[..32]}\"");
        http.Response.Headers.CacheControl = "private, no-cache";
        return Results.Bytes(body, "application/json", entityTag: etag);
    }
}

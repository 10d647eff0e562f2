using Azure.Storage.Blobs;
using Dental.Audit;
using Dental.AzureClients;
using Dental.Catalog.Store;
using Dental.Contracts;
using Dental.Contracts.Imaging;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;
using Microsoft.Net.Http.Headers;

namespace Dental.Catalog.Api;

/// <summary>
/// Originals and previews, streamed from Blob Storage with a content-derived strong ETag (so
/// If-None-Match gives 304 before Blob Storage is asked anything), Range support for originals (a preview is one
/// download request), and private caching only; or, when configured, a redirect to a short-lived read-only SAS so the
/// bytes bypass the service.
/// </summary>
internal static class ImageContentEndpoints
{
    private const string StreamedCacheControl = "private, max-age=3600";

    public static void MapImageContent(this RouteGroupBuilder patient)
    {
        patient.MapGet("/images/{imageId:guid}/content", ContentAsync).RequireAuthorization(Policies.ReadContent).Audited(AuditActions.ImageContent).WithName("GetImageContent").WithTags(ApiTags.Images)
            .WithSummary("Download the original")
            .WithDescription("The original bytes as uploaded, with Range support; or, where content links are on, 302 to a short-lived read-only link.")
            .WithContentResponses(ImageFormat.ContentTypes);
        patient.MapGet("/images/{imageId:guid}/previews/{size}", PreviewAsync).RequireAuthorization(Policies.ReadContent).Audited(AuditActions.ImagePreview).WithName("GetImagePreview").WithTags(ApiTags.Images)
            .WithSummary("Download a preview")
            .WithDescription("A JPEG preview (small: 200 px, medium: 400 px); 404 until the image is processed.")
            .WithParameterValues("size", PreviewSize.All)
            .WithContentResponses(["image/jpeg"]);
    }

    private static RouteHandlerBuilder WithContentResponses(this RouteHandlerBuilder endpoint, IReadOnlyList<string> contentTypes) => endpoint
        .WithRequestHeader("If-None-Match", "The ETag of a copy the client has: 304 while it is unchanged.")
        .WithRequestHeader("Range", "A byte range (originals only).")
        .Produces<Stream>(StatusCodes.Status200OK, contentTypes[0], [.. contentTypes.Skip(1)])
        .WithResponseHeader(StatusCodes.Status200OK, "ETag", "Derived from the content's SHA-256.")
        .Produces<Stream>(StatusCodes.Status206PartialContent, contentTypes[0], [.. contentTypes.Skip(1)])
        .Produces(StatusCodes.Status302Found)
        .WithResponseHeader(StatusCodes.Status302Found, "Location", "A short-lived read-only link to the bytes.")
        .Produces(StatusCodes.Status304NotModified)
        .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

    private static async Task<IResult> ContentAsync(
        string patientId, Guid imageId, HttpContext http, DocumentStore store, ImageContainers containers, ContentLinks links, CancellationToken cancellationToken)
    {
        var doc = await store.ReadAsync<ImageDocument>(http.User.Patient(patientId), imageId.ToString("D"), cancellationToken);
        if (doc is not { Uploaded: true, DeletedAt: null })
        {
            return CatalogProblems.ImageNotFound();
        }

        return await ServeAsync(http, containers.Originals, doc.WhereToFind(doc.Upload!.BlobName), doc.Upload.ContentType, $"\"{doc.Upload.Sha256}\"", links, ranges: true, cancellationToken);
    }

    private static async Task<IResult> PreviewAsync(
        string patientId, Guid imageId, string size, HttpContext http, DocumentStore store, ImageContainers containers, ContentLinks links, CancellationToken cancellationToken)
    {
        if (!PreviewSize.All.Contains(size))
        {
            return CatalogProblems.Invalid("size", $"size must be one of: {string.Join(", ", PreviewSize.All)}.");
        }

        var doc = await store.ReadAsync<ImageDocument>(http.User.Patient(patientId), imageId.ToString("D"), cancellationToken);
        if (doc is not { Uploaded: true, DeletedAt: null })
        {
            return CatalogProblems.ImageNotFound();
        }

        if (doc.Previews?.GetValueOrDefault(size) is not { } preview)
        {
            return CatalogProblems.PreviewNotReady(size);
        }

        return await ServeAsync(http, containers.Previews, doc.WhereToFind(preview.BlobName), "image/jpeg", $"\"{doc.Upload!.Sha256}-{size}\"", links, ranges: false, cancellationToken);
    }

    /// <summary>Serves the first of <paramref name="names"/> that exists: while a correction moves the image, the blob is at one name or the other.</summary>
    private static async Task<IResult> ServeAsync(
        HttpContext http, BlobContainerClient container, IEnumerable<string> names, string contentType, string etag, ContentLinks links, bool ranges,
        CancellationToken cancellationToken)
    {
        var entityTag = EntityTagHeaderValue.Parse(etag);
        if (!links.Enabled && http.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(entityTag, useStrongComparison: false)))
        {
            // The ETag comes from the catalog's document: the client's copy is current without asking Blob Storage.
            http.Response.Headers.CacheControl = StreamedCacheControl;
            http.Response.Headers.ETag = etag;
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        foreach (var name in names)
        {
            var blob = container.GetBlobClient(name);
            if (links.Enabled)
            {
                if (names.Skip(1).Any() && !(await blob.ExistsAsync(cancellationToken)).Value)
                {
                    continue;
                }

                http.Response.Headers.CacheControl = $"private, max-age={(int)links.RedirectCacheLifetime.TotalSeconds}";
                return Results.Redirect((await links.ReadLinkAsync(blob, cancellationToken)).ToString());
            }

            try
            {
                http.Response.Headers.CacheControl = StreamedCacheControl;
                if (!ranges)
                {
                    var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
                    http.Response.ContentLength = download.Details.ContentLength;
                    return Results.Stream(download.Content, contentType, entityTag: entityTag);
                }

                // Ranges need a seekable stream: its first request reads the properties, then it downloads what is asked for.
                var content = await blob.OpenReadAsync(new Azure.Storage.Blobs.Models.BlobOpenReadOptions(allowModifications: false), cancellationToken);
                return Results.Stream(content, contentType, entityTag: entityTag, enableRangeProcessing: true);
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == StatusCodes.Status404NotFound)
            {
                // Moved meanwhile: the next name has it.
            }
        }

        return CatalogProblems.ImageNotFound();
    }
}

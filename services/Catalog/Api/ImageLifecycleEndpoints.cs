using Dental.Contracts;
using Dental.Audit;
using Dental.Catalog.Store;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;

namespace Dental.Catalog.Api;

/// <summary>Soft delete (hidden from lists, counts and content; restorable) and restore, of an image and its variants. Both idempotent.</summary>
internal static class ImageLifecycleEndpoints
{
    public static void MapImageLifecycle(this RouteGroupBuilder patient)
    {
        patient.MapDelete("/images/{imageId:guid}", DeleteAsync).RequireAuthorization(Policies.Delete).Audited(AuditActions.ImageDelete).WithName("DeleteImage").WithTags(ApiTags.Images)
            .WithSummary("Delete an image (restorable)")
            .WithDescription("Hides the image from lists, the chart and content; idempotent.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        patient.MapPost("/images/{imageId:guid}/restore", RestoreAsync).RequireAuthorization(Policies.Delete).Audited(AuditActions.ImageRestore).WithName("RestoreImage").WithTags(ApiTags.Images)
            .WithSummary("Restore a deleted image")
            .Produces<ImageResource>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
    }

    private static Task<IResult> DeleteAsync(string patientId, Guid imageId, HttpContext http, DocumentStore store, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(http.User.Patient(patientId), imageId, ImageDocumentReducer.Delete, store, time, _ => Task.FromResult(Results.NoContent()), cancellationToken);

    private static Task<IResult> RestoreAsync(string patientId, Guid imageId, HttpContext http, DocumentStore store, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(http.User.Patient(patientId), imageId, ImageDocumentReducer.Restore, store, time, async d => Results.Ok(await d.ToResourceAsync(store, http.User, cancellationToken)),
            cancellationToken);

    private static async Task<IResult> ChangeAsync(
        PatientKey patient, Guid imageId, Func<ImageDocument, DateTimeOffset, ImageDocument> change, DocumentStore store, TimeProvider time,
        Func<ImageDocument, Task<IResult>> answer, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        // An image being purged (deleted past its retention) is as good as gone.
        var doc = await store.UpdateImageAsync(patient, imageId.ToString("D"), d => d is { Uploaded: true, PurgingAt: null } ? change(d, at) : d, cancellationToken);
        if (doc is not { Uploaded: true, PurgingAt: null })
        {
            return CatalogProblems.ImageNotFound();
        }

        // An original's variants follow it (a variant on its own changes alone); a crash before they all did is put right when
        // the same request is repeated.
        if (doc.Upload!.Variant is null)
        {
            foreach (var variant in await store.VariantsOfAsync(patient, [imageId], cancellationToken))
            {
                await store.UpdateImageAsync(patient, variant.Id, v => v is { Uploaded: true, PurgingAt: null } ? change(v, at) : v, cancellationToken);
            }
        }

        await store.RecordActivityAsync(patient, at, cancellationToken);
        return await answer(doc);
    }
}

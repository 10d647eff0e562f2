using Dental.Contracts;
using Dental.Audit;
using Dental.Catalog.Store;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;

namespace Dental.Catalog.Api;

/// <summary>Soft delete (hidden from lists, counts and content; restorable) and restore. Both idempotent.</summary>
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
        ChangeAsync(http.User.Patient(patientId), imageId, ImageDocumentReducer.Delete, store, time, _ => Results.NoContent(), cancellationToken);

    private static Task<IResult> RestoreAsync(string patientId, Guid imageId, HttpContext http, DocumentStore store, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(http.User.Patient(patientId), imageId, ImageDocumentReducer.Restore, store, time, d => Results.Ok(d.ToResource(http.User)), cancellationToken);

    private static async Task<IResult> ChangeAsync(
        PatientKey patient, Guid imageId, Func<ImageDocument, DateTimeOffset, ImageDocument> change, DocumentStore store, TimeProvider time,
        Func<ImageDocument, IResult> answer, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        // An image being purged (deleted past its retention) is as good as gone.
        var doc = await store.UpdateImageAsync(patient, imageId.ToString("D"), d => d is { Uploaded: true, PurgingAt: null } ? change(d, at) : d, cancellationToken);
        if (doc is not { Uploaded: true, PurgingAt: null })
        {
            return CatalogProblems.ImageNotFound();
        }

        await store.RecordActivityAsync(patient, at, cancellationToken);
        return answer(doc);
    }
}

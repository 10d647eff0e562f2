using Dental.Audit;
using Dental.Contracts;
using Dental.ServiceDefaults.Auth;
using Dental.ServiceDefaults.OpenApi;

namespace Dental.Catalog.Api;

public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var patient = app.MapGroup("/api/v1/patients/{patientId}")
            .AddEndpointFilter(async (context, next) =>
                PatientId.IsValid(context.HttpContext.GetRouteValue("patientId") as string)
                    ? await next(context)
                    : CatalogProblems.Invalid("patientId", "patientId must be 1–64 characters of letters, digits and '-'."));

        patient.MapImageQueries();
        patient.MapImageContent();
        patient.MapImageLifecycle();
        app.MapAudit(patient);
        app.MapRecentPatients();
        patient.MapDelete("/", PatientErasure.EraseAsync).RequireAuthorization(Policies.Erase).Audited(AuditActions.PatientErase).WithName("ErasePatient").WithTags(ApiTags.Patients)
            .WithSummary("Erase a patient (right to erasure)")
            .WithDescription("Removes every original, preview and document of the patient and tells the other services to remove their records. Idempotent; 503 means: repeat the request.")
            .Produces<ErasureReport>()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status503ServiceUnavailable);
        return app;
    }
}

using Dental.Audit;
using Dental.Catalog.Erasure;
using Dental.Catalog.Export;
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
        patient.MapImageEdits();
        app.MapAudit(patient);
        app.MapRecentPatients();
        patient.MapPatientErasure();
        patient.MapPatientExport();
        return app;
    }
}

using Dental.Contracts;
using Dental.ServiceDefaults.Auth;

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
        patient.MapDelete("/", PatientErasure.EraseAsync).RequireAuthorization(Policies.Erase).WithName("ErasePatient");
        return app;
    }
}

namespace Dental.Catalog;

public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/patients/{patientId}");
        return app;
    }
}

namespace Dental.Upload;

public static class UploadApi
{
    public static IEndpointRouteBuilder MapUploadApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/patients/{patientId}/images");
        return app;
    }
}

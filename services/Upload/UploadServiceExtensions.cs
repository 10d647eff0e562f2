using Dental.AzureClients;

namespace Dental.Upload;

public static class UploadServiceExtensions
{
    public static IHostApplicationBuilder AddUploadServices(this IHostApplicationBuilder builder)
    {
        builder.AddBlobStorage();
        return builder;
    }
}

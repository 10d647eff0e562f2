using Dental.AzureClients;
using Dental.ServiceDefaults;

namespace Dental.Upload;

public static class UploadServiceExtensions
{
    public static IHostApplicationBuilder AddUploadServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<UploadOptions>(UploadOptions.Section);
        builder.AddBlobStorage();
        return builder;
    }
}

using Dental.AzureClients;
using Dental.ServiceDefaults;

namespace Dental.Thumbnailer;

public static class ThumbnailerServiceExtensions
{
    public static IHostApplicationBuilder AddThumbnailerServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ThumbnailerOptions>(ThumbnailerOptions.Section);
        builder.AddBlobStorage();
        return builder;
    }
}

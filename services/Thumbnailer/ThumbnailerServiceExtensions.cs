using Dental.AzureClients;

namespace Dental.Thumbnailer;

public static class ThumbnailerServiceExtensions
{
    public static IHostApplicationBuilder AddThumbnailerServices(this IHostApplicationBuilder builder)
    {
        builder.AddBlobStorage();
        return builder;
    }
}

using Azure.Storage.Blobs;
using Dental.AzureClients;
using Dental.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dental.Upload.Store;

public static class UploadRecordsExtensions
{
    /// <summary>The Upload service's records container (in the account of <see cref="BlobStorageExtensions.AddBlobStorage"/>), created at start when Storage:EnsureCreated.</summary>
    public static IHostApplicationBuilder AddUploadRecords(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<UploadRecordsOptions>(UploadRecordsOptions.Section);
        builder.Services.AddSingleton(sp => new UploadRecords(
            sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(sp.GetRequiredService<IOptions<UploadRecordsOptions>>().Value.Container)));
        builder.Services.AddStartupInitializer("upload records container", async (sp, ct) =>
        {
            if (sp.GetRequiredService<IOptions<StorageOptions>>().Value.EnsureCreated)
            {
                await sp.GetRequiredService<UploadRecords>().Container.CreateIfNotExistsAsync(cancellationToken: ct);
            }
        });
        return builder;
    }
}

using Dental.AzureClients;
using Dental.ServiceDefaults;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dental.Clinics;

public static class ClinicRegistryExtensions
{
    /// <summary>The clinic registry, and the authorization handler that lets only its active clinics' tokens through.</summary>
    public static IHostApplicationBuilder AddClinicRegistry(this IHostApplicationBuilder builder)
    {
        builder.AddBlobServiceClient();
        builder.Services.AddValidatedOptions<ClinicRegistryOptions>(ClinicRegistryOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ClinicRegistry>();
        builder.Services.AddSingleton<IAuthorizationHandler, RegisteredClinicHandler>();
        builder.Services.AddStartupInitializer("clinic registry", async (sp, ct) =>
        {
            var registry = sp.GetRequiredService<ClinicRegistry>();
            if (sp.GetRequiredService<IOptions<StorageOptions>>().Value.EnsureCreated)
            {
                await registry.Container.CreateIfNotExistsAsync(cancellationToken: ct);
            }

            foreach (var clinic in sp.GetRequiredService<IOptions<ClinicRegistryOptions>>().Value.Seed)
            {
                await registry.RegisterAsync(clinic, "seeded for a local run", ct);
            }
        });
        return builder;
    }
}

using Dental.AzureClients;
using Dental.ServiceDefaults;
using Dental.ServiceDefaults.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dental.Audit;

public static class AuditExtensions
{
    /// <summary>The audit trail's writer (group commit), its store, and a readiness check that reaches the store.</summary>
    public static IHostApplicationBuilder AddAuditTrail(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(AuditTrail)))
        {
            return builder;
        }

        builder.AddBlobServiceClient();
        builder.Services.AddValidatedOptions<AuditOptions>(AuditOptions.Section);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AuditStore>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditTrail>());
        builder.Services.AddStartupInitializer("audit container", async (sp, ct) =>
        {
            if (sp.GetRequiredService<IOptions<StorageOptions>>().Value.EnsureCreated)
            {
                await sp.GetRequiredService<AuditStore>().Container.CreateIfNotExistsAsync(cancellationToken: ct);
            }
        });
        builder.Services.AddHealthChecks().AddReadinessProbe("audit", (sp, ct) =>
            sp.GetRequiredService<IOptions<AuditOptions>>().Value.Enabled
                ? sp.GetRequiredService<AuditStore>().Container.GetPropertiesAsync(cancellationToken: ct)
                : Task.CompletedTask);
        return builder;
    }

    /// <summary>Reading a clinic's trail (the audit routes).</summary>
    public static IHostApplicationBuilder AddAuditReader(this IHostApplicationBuilder builder)
    {
        builder.AddAuditTrail();
        builder.Services.AddSingleton<AuditReader>();
        return builder;
    }

    /// <summary>The gateway's per-minute refusal counts.</summary>
    public static IHostApplicationBuilder AddRefusalAudit(this IHostApplicationBuilder builder)
    {
        builder.AddAuditTrail();
        builder.Services.AddSingleton<RefusalAudit>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RefusalAudit>());
        return builder;
    }

    /// <summary>Counts the API's refusals, the gateway's own and those it passes on from the services.</summary>
    public static WebApplication UseRefusalAudit(this WebApplication app)
    {
        var refusals = app.Services.GetRequiredService<RefusalAudit>();
        app.Use(async (http, next) =>
        {
            await next(http);
            if (RefusalAudit.IsRefusal(http.Response.StatusCode) && http.Request.Path.StartsWithSegments("/api"))
            {
                refusals.Count(http);
            }
        });
        return app;
    }
}

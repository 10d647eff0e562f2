using System.Diagnostics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using Dental.ServiceDefaults.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dental.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Activity sources and meters of the platform itself; every service adds its own under this prefix.</summary>
    public const string DentalSourcePrefix = "Dental.";

    private const string AzureCoreHttpSource = "Azure.Core.Http";

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry.Extensions.Hosting (ASP.NET Core, HttpClient, runtime,
    /// Azure SDK, YARP and the platform's own sources), exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is
    /// set (the Aspire app host sets it to its dashboard) and to Application Insights when
    /// APPLICATIONINSIGHTS_CONNECTION_STRING is (Azure); trace and span ids on every console log line.
    /// </summary>
    public static IHostApplicationBuilder AddDentalTelemetry(this IHostApplicationBuilder builder)
    {
        // Azure SDK clients publish ActivitySource spans only when this switch is on.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        // Per-request framework chatter is in the traces already; a setting can still turn it back on.
        foreach (var category in new[] { "Microsoft.AspNetCore", "System.Net.Http.HttpClient", "Yarp", "Polly" })
        {
            if (builder.Configuration[$"Logging:LogLevel:{category}"] is null)
            {
                builder.Logging.AddFilter(category, LogLevel.Warning);
            }
        }

        builder.Logging.AddSimpleConsole(o =>
        {
            o.IncludeScopes = true;
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
        });

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsHealthProbe(context))
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = _ => !IsAzureSdkRequest(Activity.Current))
                .AddSource("Azure.*", "Yarp.ReverseProxy", DentalSourcePrefix + "*"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(DentalSourcePrefix + "*"));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        if (!string.IsNullOrWhiteSpace(builder.Configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            // Application Insights in Azure, with local authentication off: the service's managed identity signs in.
            telemetry.UseAzureMonitor(o => o.Credential = new DefaultAzureCredential());
        }

        return builder;
    }

    /// <summary>
    /// An HttpClient request the Azure SDK sends under its own client span (Azure.Core.Http, with the service's request id):
    /// the HttpClient span would record the same request a second time, in every trace and in Application Insights' bill.
    /// </summary>
    private static bool IsAzureSdkRequest(Activity? httpClientActivity) =>
        httpClientActivity?.Parent?.Source.Name == AzureCoreHttpSource;

    private static bool IsHealthProbe(HttpContext context) => context.Request.Path.StartsWithSegments(HealthEndpoints.Prefix);
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dental.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Activity sources and meters of the platform itself; every service adds its own under this prefix.</summary>
    public const string DentalSourcePrefix = "Dental.";

    /// <summary>
    /// Traces, metrics and logs over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; trace and span ids on
    /// every console log line either way. OpenTelemetry.Extensions.Hosting is not in the registry here,
    /// so the providers are built with the SDK builders and owned by a hosted service.
    /// </summary>
    public static IHostApplicationBuilder AddDentalTelemetry(this IHostApplicationBuilder builder)
    {
        // Azure SDK clients publish ActivitySource spans only when this switch is on.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        // Per-request framework chatter is in the traces already; a setting can still turn it back on.
        foreach (var category in new[] { "Microsoft.AspNetCore", "System.Net.Http.HttpClient", "Yarp" })
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

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName);

        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource("Microsoft.AspNetCore", "System.Net.Http", "Azure.*", "Yarp.ReverseProxy", DentalSourcePrefix + "*");
        var metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime", DentalSourcePrefix + "*");
        if (exportOtlp)
        {
            tracing.AddOtlpExporter();
            metrics.AddOtlpExporter();
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(resource);
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
                o.AddOtlpExporter();
            });
        }

        // The tracer provider is what turns on activity creation (and so W3C trace propagation) even
        // without an exporter, so it is built in every environment.
        builder.Services.AddHostedService(_ => new TelemetryProviders(tracing.Build(), metrics.Build()));
        return builder;
    }

    private sealed class TelemetryProviders(TracerProvider? tracer, MeterProvider? meter) : IHostedService, IDisposable
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            tracer?.ForceFlush(2000);
            meter?.ForceFlush(2000);
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            tracer?.Dispose();
            meter?.Dispose();
        }
    }
}

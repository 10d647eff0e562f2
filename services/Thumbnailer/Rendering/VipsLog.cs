using NetVips;

namespace Dental.Thumbnailer.Rendering;

/// <summary>libvips' warnings and errors go to the structured log (with the service's scopes and trace), not to stderr.</summary>
public sealed partial class VipsLog(ILogger<VipsLog> logger) : IHostedService
{
    private uint _handler;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _handler = Log.SetLogHandler("VIPS", Enums.LogLevelFlags.Warning | Enums.LogLevelFlags.Critical | Enums.LogLevelFlags.Error, Write);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Log.RemoveLogHandler("VIPS", _handler);
        return Task.CompletedTask;
    }

    private void Write(string? domain, Enums.LogLevelFlags level, string? message) => LogVips(logger, level, message ?? "");

    // libvips' messages name operations and formats, never image content or patient data.
    [LoggerMessage(LogLevel.Warning, "libvips {Level}: {Message}")]
    private static partial void LogVips(ILogger logger, Enums.LogLevelFlags level, string message);
}

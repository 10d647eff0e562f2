using System.Collections.Concurrent;
using Dental.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dental.Audit;

/// <summary>
/// The gateway's record of refusals (401, 403, 404, 429 on the API, its own and the services'): counted per minute, actor
/// (or, without a valid token, client address) and status, and written as one record per count once the minute is over,
/// so a flood of bad requests costs one record per caller and minute, not one write per request.
/// </summary>
public sealed partial class RefusalAudit(AuditTrail trail, IHostEnvironment environment, TimeProvider time, IOptions<AuditOptions> options, ILogger<RefusalAudit> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<Key, int> _counts = new();

    public static bool IsRefusal(int status) => status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden
        or StatusCodes.Status404NotFound or StatusCodes.Status429TooManyRequests;

    public void Count(HttpContext http)
    {
        var minute = MinuteOf(time.GetUtcNow());
        var actor = http.User.Identity?.IsAuthenticated == true ? http.User.FindFirst(TokenSubject.ClaimType)?.Value : null;
        var key = new Key(minute, http.User.FindFirst(ClinicClaims.ClaimType)?.Value, actor, AuditFilter.RoleOf(http.User),
            http.Connection.RemoteIpAddress?.ToString(), http.Response.StatusCode);
        _counts.AddOrUpdate(key, 1, (_, count) => count + 1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefusalFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Only minutes that are over: the current one keeps counting into its one record.
                await FlushAsync(before: MinuteOf(time.GetUtcNow()));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: the current minute's counts too.
        await FlushAsync(before: DateTimeOffset.MaxValue);
    }

    /// <summary>Writes the counts of minutes that started before <paramref name="before"/>; a count that fails to write is kept for the next try.</summary>
    private async Task FlushAsync(DateTimeOffset before)
    {
        var writes = new List<(Key Key, int Count, Task Written)>();
        foreach (var key in _counts.Keys.Where(k => k.Minute < before))
        {
            if (_counts.TryRemove(key, out var count))
            {
                writes.Add((key, count, trail.WriteAsync(Record(key, count))));
            }
        }

        foreach (var (key, count, written) in writes)
        {
            try
            {
                await written;
            }
            catch (AuditUnavailableException ex)
            {
                LogFlushFailed(logger, ex.Message);
                _counts.AddOrUpdate(key, count, (_, newer) => newer + count);
            }
        }
    }

    private AuditRecord Record(Key key, int count) => new()
    {
        Id = Guid.CreateVersion7().ToString("D"),
        Time = key.Minute,
        ClinicId = key.ClinicId,
        Actor = key.Actor,
        Role = key.Role,
        Action = AuditActions.Refused,
        EventType = AuditActions.EventTypeOf[AuditActions.Refused],
        ImageIds = [],
        Outcome = key.Status,
        ClientAddress = key.Address,
        Service = environment.ApplicationName,
        Count = count,
    };

    private static DateTimeOffset MinuteOf(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private sealed record Key(DateTimeOffset Minute, string? ClinicId, string? Actor, string? Role, string? Address, int Status);

    [LoggerMessage(LogLevel.Warning, "Refusal counts not written yet; they are kept and written with the next flush: {Reason}")]
    private static partial void LogFlushFailed(ILogger logger, string reason);
}

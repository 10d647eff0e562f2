using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dental.Messaging;

/// <summary>
/// Removes the dead letters of the subscriptions this service consumes once they are older than
/// <see cref="MessagingOptions.DeadLetterRetention"/>: a dead letter is kept for operators to inspect and resubmit,
/// not for ever (its body is an event about a patient).
/// </summary>
public sealed partial class DeadLetterRetention(
    IReadOnlyList<(string Topic, string Subscription)> subscriptions,
    DeadLetters deadLetters,
    IMessageTransport transport,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<DeadLetterRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DeadLetterSweepInterval, time);
        do
        {
            foreach (var (topic, subscription) in subscriptions)
            {
                try
                {
                    var cutoff = time.GetUtcNow() - options.Value.DeadLetterRetention;
                    bool Expired(DeadLetter letter) => letter.DeadLetteredAt < cutoff;

                    // A scan locks the letters it looks at: peek first (oldest first), so a sweep with nothing to remove hides nothing from operators.
                    if (!(await transport.PeekDeadLettersAsync(topic, subscription, 32, stoppingToken)).Any(Expired))
                    {
                        continue;
                    }

                    var removed = await deadLetters.PurgeAsync(topic, subscription, Expired, stoppingToken);
                    if (removed > 0)
                    {
                        LogRemoved(logger, removed, $"{topic}/{subscription}");
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogSweepFailed(logger, $"{topic}/{subscription}", ex.Message);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Information, "Removed {Count} dead letter(s) of {Subscription} past their retention")]
    private static partial void LogRemoved(ILogger logger, int count, string subscription);

    [LoggerMessage(LogLevel.Warning, "The dead-letter sweep of {Subscription} failed; it runs again at the next interval: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string subscription, string reason);
}

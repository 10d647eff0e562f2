namespace Dental.Messaging;

/// <summary>
/// What operators (and the retention sweep) do with a subscription's dead letters, the same on every transport:
/// resubmit them to that subscription alone, or remove them. Each one is sent again before it is removed, so a crash
/// in between leaves a duplicate (which consumers absorb), never a loss.
/// </summary>
public sealed class DeadLetters(IMessageTransport transport)
{
    // Long enough that a letter set aside stays out of sight until the whole scan is over and releases it.
    private static readonly TimeSpan ScanLock = TimeSpan.FromMinutes(5);

    /// <summary>Sends the chosen dead letters through their subscription again, under a new message id (a new delivery count), and removes them.</summary>
    public Task<int> ResubmitAsync(string topic, string subscription, Func<DeadLetter, bool> which, CancellationToken cancellationToken) =>
        SettleAsync(topic, subscription, which, (letter, ct) =>
            transport.SendToSubscriptionAsync(topic, subscription, Guid.CreateVersion7().ToString("D"), letter.Body, ct), cancellationToken);

    public Task<int> PurgeAsync(string topic, string subscription, Func<DeadLetter, bool> which, CancellationToken cancellationToken) =>
        SettleAsync(topic, subscription, which, (_, _) => Task.CompletedTask, cancellationToken);

    private async Task<int> SettleAsync(
        string topic, string subscription, Func<DeadLetter, bool> which, Func<DeadLetter, CancellationToken, Task> beforeRemoving, CancellationToken cancellationToken)
    {
        var setAside = new List<ILockedDeadLetter>();
        var seen = new HashSet<string>();
        var settled = 0;
        try
        {
            // Ends when nothing is left, or when a letter comes round again (a broker whose lock is shorter than the scan released it).
            while (await transport.ReceiveDeadLettersAsync(topic, subscription, 32, ScanLock, cancellationToken) is { Count: > 0 } batch)
            {
                var cameRound = false;
                foreach (var locked in batch)
                {
                    cameRound |= !seen.Add(locked.Letter.MessageId);
                    if (!which(locked.Letter))
                    {
                        setAside.Add(locked);
                        continue;
                    }

                    await beforeRemoving(locked.Letter, cancellationToken);
                    await locked.RemoveAsync(cancellationToken);
                    settled++;
                }

                if (cameRound)
                {
                    break;
                }
            }
        }
        finally
        {
            foreach (var locked in setAside)
            {
                try
                {
                    await locked.ReleaseAsync(CancellationToken.None);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Its lock ran out already: it is visible again either way.
                }
            }
        }

        return settled;
    }
}

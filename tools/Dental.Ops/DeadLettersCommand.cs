using Dental.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dental.Ops;

/// <summary>One dead-lettered event as an operator sees it: where, which event, why, and when; the body only on request.</summary>
public sealed record DeadLetterRow(string Subscription, string MessageId, string? EventType, string Reason, int DeliveryCount, DateTimeOffset? DeadLetteredAt, string? Payload);

/// <summary>
/// The dead letters of every subscription the platform has (either transport): list them without their payload unless
/// asked, resubmit them to their subscription after a fix, or purge them. Subscriptions are named "topic/subscription".
/// </summary>
public sealed class DeadLettersCommand(OpsServices ops)
{
    private IMessageTransport Transport => ops.Provider.GetRequiredService<IMessageTransport>();

    private DeadLetters DeadLetters => ops.Provider.GetRequiredService<DeadLetters>();

    public async Task<IReadOnlyList<DeadLetterRow>> ListAsync(bool withPayload, int maxPerSubscription, CancellationToken cancellationToken)
    {
        var rows = new List<DeadLetterRow>();
        foreach (var (topic, subscription) in Subscriptions(null))
        {
            foreach (var letter in await Transport.PeekDeadLettersAsync(topic, subscription, maxPerSubscription, cancellationToken))
            {
                rows.Add(new DeadLetterRow($"{topic}/{subscription}", letter.MessageId, CloudEvents.TryParse(letter.Body, out _)?.Type, letter.Reason, letter.DeliveryCount,
                    letter.DeadLetteredAt, withPayload ? letter.Body.ToString() : null));
            }
        }

        return rows;
    }

    /// <summary>Sends the chosen dead letters (<paramref name="id"/>: a message or event id; null: all) through their subscription again; counts per subscription.</summary>
    public Task<IReadOnlyDictionary<string, int>> ResubmitAsync(string? subscription, string? id, CancellationToken cancellationToken) =>
        ForEachAsync(subscription, (topic, name) => DeadLetters.ResubmitAsync(topic, name, Matches(id), cancellationToken));

    public Task<IReadOnlyDictionary<string, int>> PurgeAsync(string? subscription, string? id, CancellationToken cancellationToken) =>
        ForEachAsync(subscription, (topic, name) => DeadLetters.PurgeAsync(topic, name, Matches(id), cancellationToken));

    private async Task<IReadOnlyDictionary<string, int>> ForEachAsync(string? subscription, Func<string, string, Task<int>> action)
    {
        var counts = new Dictionary<string, int>();
        foreach (var (topic, name) in Subscriptions(subscription))
        {
            counts[$"{topic}/{name}"] = await action(topic, name);
        }

        return counts;
    }

    private static Func<DeadLetter, bool> Matches(string? id) =>
        id is null ? _ => true : letter => letter.MessageId == id || CloudEvents.TryParse(letter.Body, out _)?.Id == id;

    private List<(string Topic, string Subscription)> Subscriptions(string? only)
    {
        var all = ops.Provider.GetRequiredService<IOptions<MessagingOptions>>().Value.Topics
            .SelectMany(t => t.Value.Select(s => (Topic: t.Key, Subscription: s))).ToList();
        if (only is null)
        {
            return all;
        }

        return all.Where(s => $"{s.Topic}/{s.Subscription}" == only).ToList() is { Count: > 0 } chosen
            ? chosen
            : throw new ArgumentException($"No subscription '{only}'; the platform has {string.Join(", ", all.Select(s => $"{s.Topic}/{s.Subscription}"))}.");
    }
}

using Dental.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dental.Ops;

/// <summary>One dead-lettered event as an operator sees it: where, which event, why, and when; the body only on request.</summary>
public sealed record DeadLetterRow(string Subscription, string MessageId, string? EventType, string Reason, int DeliveryCount, DateTimeOffset? DeadLetteredAt, string? Payload);

/// <summary>Lists the dead-lettered events of every subscription the platform has (either transport), without their payload unless asked.</summary>
public sealed class DeadLettersCommand(OpsServices ops)
{
    public async Task<IReadOnlyList<DeadLetterRow>> ListAsync(bool withPayload, int maxPerSubscription, CancellationToken cancellationToken)
    {
        var transport = ops.Provider.GetRequiredService<IMessageTransport>();
        var rows = new List<DeadLetterRow>();
        foreach (var (topic, subscriptions) in ops.Provider.GetRequiredService<IOptions<MessagingOptions>>().Value.Topics)
        {
            foreach (var subscription in subscriptions)
            {
                foreach (var letter in await transport.PeekDeadLettersAsync(topic, subscription, maxPerSubscription, cancellationToken))
                {
                    rows.Add(new DeadLetterRow($"{topic}/{subscription}", letter.MessageId, CloudEvent.TryParse(letter.Body, out _)?.Type, letter.Reason, letter.DeliveryCount,
                        letter.DeadLetteredAt, withPayload ? letter.Body.ToString() : null));
                }
            }
        }

        return rows;
    }
}

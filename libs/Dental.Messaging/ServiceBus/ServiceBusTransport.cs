using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Dental.Messaging.ServiceBus;

/// <summary>
/// Azure Service Bus over its documented HTTPS data-plane API (no AMQP library is obtainable here):
/// send, peek-lock receive with a long poll, complete (DELETE the lock URI), abandon (PUT), renew (POST).
/// The REST API has no explicit dead-letter call: a message is abandoned and the subscription's
/// MaxDeliveryCount (kept equal to Messaging:MaxDeliveryAttempts by the Bicep) moves it to the
/// dead-letter queue; MessageId = event id feeds the topic's duplicate detection.
/// </summary>
internal sealed class ServiceBusTransport(HttpClient http, ServiceBusAuthorization authorization, MessagingOptions options) : IMessageTransport, IDisposable
{
    private Uri Endpoint => options.ServiceBus.Endpoint!;

    private TimeSpan LockDuration => options.LockDuration;

    public void Dispose() => authorization.Dispose();

    public async Task SendAsync(string topic, string messageId, BinaryData body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint, $"{topic}/messages"))
        {
            Content = new ByteArrayContent(body.ToArray()),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        request.Headers.TryAddWithoutValidation("BrokerProperties", JsonSerializer.Serialize(new { MessageId = messageId }));
        using var response = await SendAsync(request, cancellationToken);
    }

    public async Task<IReadOnlyList<IReceivedMessage>> ReceiveAsync(
        string topic, string subscription, int maxMessages, TimeSpan lockDuration, CancellationToken cancellationToken)
    {
        var message = await PeekLockAsync($"{topic}/subscriptions/{subscription}", options.ServiceBus.ReceiveTimeout, cancellationToken);
        return message is null ? [] : [message];
    }

    // Topics and subscriptions are infrastructure, created by the Bicep with their delivery settings.
    public Task EnsureCreatedAsync(string topic, string subscription, CancellationToken cancellationToken) => Task.CompletedTask;

    // The data-plane roles cannot read entity descriptions, and any receive would lock a message: a
    // token for the namespace is what can be checked without side effects.
    public async Task ProbeAsync(string topic, string subscription, CancellationToken cancellationToken) =>
        await authorization.HeaderAsync(cancellationToken);

    public async Task<IReadOnlyList<DeadLetter>> PeekDeadLettersAsync(string topic, string subscription, int maxMessages, CancellationToken cancellationToken)
    {
        var locked = new List<Received>();
        while (locked.Count < maxMessages
            && await PeekLockAsync($"{topic}/subscriptions/{subscription}/$DeadLetterQueue", TimeSpan.FromSeconds(1), cancellationToken) is { } message)
        {
            locked.Add(message);
        }

        // Peeking must not consume: every lock is released again.
        await Task.WhenAll(locked.Select(m => m.AbandonAsync(TimeSpan.Zero, cancellationToken)));
        return locked.Select(m => new DeadLetter(m.MessageId, m.DeadLetterReason ?? "MaxDeliveryCountExceeded", m.Body)).ToList();
    }

    private async Task<Received?> PeekLockAsync(string entityPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint, $"{entityPath}/messages/head?timeout={seconds}"));
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        var properties = JsonSerializer.Deserialize<BrokerProperties>(
            response.Headers.GetValues("BrokerProperties").Single(), CloudEvent.Json)!;
        var lockUri = response.Headers.Location ?? throw new ServiceBusRequestException(502, "Peek-lock answer without a Location header.");
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var deadLetterReason = response.Headers.TryGetValues("DeadLetterReason", out var reasons) ? reasons.First().Trim('"') : null;
        return new Received(this, properties, lockUri, new BinaryData(body), deadLetterReason);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation("Authorization", await authorization.HeaderAsync(cancellationToken));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            throw new ServiceBusRequestException(status, status switch
            {
                401 => "Service Bus refused the credentials (401).",
                403 => "The identity may not do this on Service Bus (403).",
                404 or 410 => $"Service Bus entity {request.RequestUri!.AbsolutePath} does not exist ({status}).",
                _ => $"Service Bus answered {status} for {request.Method} {request.RequestUri!.AbsolutePath}.",
            });
        }
    }

    private async Task SettleAsync(HttpMethod method, Uri lockUri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, lockUri);
        using var response = await SendAsync(request, cancellationToken);
    }

    private sealed record BrokerProperties(string MessageId, string LockToken, int DeliveryCount, long SequenceNumber);

    private sealed class Received(ServiceBusTransport transport, BrokerProperties properties, Uri lockUri, BinaryData body, string? deadLetterReason) : IReceivedMessage
    {
        public string MessageId => properties.MessageId;

        public BinaryData Body => body;

        public int DeliveryCount => properties.DeliveryCount;

        public string? DeadLetterReason => deadLetterReason;

        public Task CompleteAsync(CancellationToken cancellationToken) => transport.SettleAsync(HttpMethod.Delete, lockUri, cancellationToken);

        public async Task AbandonAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            // Unlock has no delay parameter; holding the lock a little first gives the backoff (bounded
            // well below the lock duration so the lock is still ours when we release it).
            var hold = TimeSpan.FromTicks(Math.Min(delay.Ticks, transport.LockDuration.Ticks / 2));
            if (hold > TimeSpan.Zero)
            {
                await Task.Delay(hold, cancellationToken);
            }

            await transport.SettleAsync(HttpMethod.Put, lockUri, cancellationToken);
        }

        public Task DeadLetterAsync(string reason, CancellationToken cancellationToken) => AbandonAsync(TimeSpan.Zero, cancellationToken);

        public Task RenewLockAsync(TimeSpan lockDuration, CancellationToken cancellationToken) => transport.SettleAsync(HttpMethod.Post, lockUri, cancellationToken);
    }
}

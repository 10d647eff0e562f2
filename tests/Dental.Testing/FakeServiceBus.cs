using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Dental.Messaging.ServiceBus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dental.Testing;

/// <summary>
/// A local HTTP server reproducing the documented Service Bus REST responses: send (201), peek-lock
/// (201 with BrokerProperties and Location, 204 when empty), complete/abandon/renew on the lock URI
/// (200), 401 for a bad token, 410 for a missing entity; lock expiry, MaxDeliveryCount dead-lettering
/// and MessageId duplicate detection. Accepts SAS tokens signed with <see cref="Key"/>.
/// </summary>
public sealed class FakeServiceBus : IAsyncDisposable
{
    public const string KeyName = "RootManageSharedAccessKey";
    public const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ==";

    private readonly WebApplication _app;
    private readonly Dictionary<string, Dictionary<string, Subscription>> _topics;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seenMessageIds = new();
    private long _sequence;

    public FakeServiceBus(IReadOnlyDictionary<string, string[]> topics, int maxDeliveryCount, TimeSpan lockDuration)
    {
        _topics = topics.ToDictionary(t => t.Key, t => t.Value.ToDictionary(s => s, _ => new Subscription()));
        MaxDeliveryCount = maxDeliveryCount;
        LockDuration = lockDuration;
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            if (!Authorized(context.Request.Headers.Authorization.ToString()))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        _app.MapPost("/{topic}/messages", SendAsync);
        _app.MapPost("/{topic}/subscriptions/{subscription}/messages/head", (string topic, string subscription, int? timeout, HttpContext context) =>
            PeekLockAsync(topic, subscription, deadLetters: false, timeout, context));
        _app.MapPost("/{topic}/subscriptions/{subscription}/$DeadLetterQueue/messages/head", (string topic, string subscription, int? timeout, HttpContext context) =>
            PeekLockAsync(topic, subscription, deadLetters: true, timeout, context));
        _app.MapMethods("/{topic}/subscriptions/{subscription}/messages/{sequence:long}/{lockToken}", ["DELETE", "PUT", "POST"], Settle);
        _app.MapMethods("/{topic}/subscriptions/{subscription}/$DeadLetterQueue/messages/{sequence:long}/{lockToken}", ["PUT"], SettleDeadLetter);
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    public int MaxDeliveryCount { get; }

    public TimeSpan LockDuration { get; }

    public Task StartAsync() => _app.StartAsync();

    public int ActiveCount(string topic, string subscription)
    {
        var s = _topics[topic][subscription];
        lock (s)
        {
            return s.Active.Count;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static bool Authorized(string header)
    {
        if (!header.StartsWith("SharedAccessSignature ", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = header["SharedAccessSignature ".Length..].Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expiry = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts["se"], CultureInfo.InvariantCulture));
        var expected = ServiceBusSasToken.Create(Uri.UnescapeDataString(parts["sr"]), KeyName, Key, expiry);
        return expiry > DateTimeOffset.UtcNow && expected == header;
    }

    private async Task<IResult> SendAsync(string topic, HttpContext context)
    {
        if (!_topics.TryGetValue(topic, out var subscriptions))
        {
            return Results.StatusCode(StatusCodes.Status410Gone);
        }

        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var properties = JsonDocument.Parse(context.Request.Headers["BrokerProperties"].ToString()).RootElement;
        var messageId = properties.GetProperty("MessageId").GetString()!;
        if (!_seenMessageIds.TryAdd($"{topic}/{messageId}", DateTimeOffset.UtcNow))
        {
            return Results.StatusCode(StatusCodes.Status201Created);
        }

        foreach (var subscription in subscriptions.Values)
        {
            lock (subscription)
            {
                subscription.Active.Add(new Message(Interlocked.Increment(ref _sequence), messageId, body));
            }
        }

        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private async Task<IResult> PeekLockAsync(string topic, string subscription, bool deadLetters, int? timeout, HttpContext context)
    {
        if (!_topics.TryGetValue(topic, out var subscriptions) || !subscriptions.TryGetValue(subscription, out var s))
        {
            return Results.StatusCode(StatusCodes.Status410Gone);
        }

        var deadline = DateTimeOffset.UtcNow.AddSeconds(timeout ?? 60);
        while (!context.RequestAborted.IsCancellationRequested)
        {
            Message? locked;
            lock (s)
            {
                ExpireLocks(s);
                var queue = deadLetters ? s.DeadLetters : s.Active;
                locked = queue.FirstOrDefault(m => m.LockedUntil < DateTimeOffset.UtcNow);
                if (locked is not null)
                {
                    locked.DeliveryCount++;
                    locked.LockToken = Guid.NewGuid().ToString();
                    locked.LockedUntil = DateTimeOffset.UtcNow + LockDuration;
                }
            }

            if (locked is not null)
            {
                var path = deadLetters ? "$DeadLetterQueue/" : "";
                context.Response.Headers.Location = $"{Endpoint}{topic}/subscriptions/{subscription}/{path}messages/{locked.Sequence}/{locked.LockToken}";
                context.Response.Headers["BrokerProperties"] = JsonSerializer.Serialize(new
                {
                    locked.MessageId,
                    locked.LockToken,
                    locked.DeliveryCount,
                    SequenceNumber = locked.Sequence,
                    LockedUntilUtc = locked.LockedUntil.ToString("R", CultureInfo.InvariantCulture),
                });
                if (locked.DeadLetterReason is not null)
                {
                    context.Response.Headers["DeadLetterReason"] = $"\"{locked.DeadLetterReason}\"";
                }

                return Results.Text(locked.Body, "application/cloudevents+json", statusCode: StatusCodes.Status201Created);
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                return Results.NoContent();
            }

            await Task.Delay(20, context.RequestAborted);
        }

        return Results.NoContent();
    }

    private IResult Settle(string topic, string subscription, long sequence, string lockToken, HttpContext context)
    {
        if (!_topics.TryGetValue(topic, out var subscriptions) || !subscriptions.TryGetValue(subscription, out var s))
        {
            return Results.StatusCode(StatusCodes.Status410Gone);
        }

        lock (s)
        {
            ExpireLocks(s);
            var message = s.Active.FirstOrDefault(m => m.Sequence == sequence && m.LockToken == lockToken && m.LockedUntil > DateTimeOffset.UtcNow);
            if (message is null)
            {
                // The lock was lost (expired or settled): Service Bus answers 410 Gone.
                return Results.StatusCode(StatusCodes.Status410Gone);
            }

            switch (context.Request.Method)
            {
                case "DELETE":
                    s.Active.Remove(message);
                    break;
                case "PUT":
                    message.LockedUntil = DateTimeOffset.MinValue;
                    DeadLetterIfExhausted(s, message);
                    break;
                default:
                    message.LockedUntil = DateTimeOffset.UtcNow + LockDuration;
                    break;
            }
        }

        return Results.Ok();
    }

    private IResult SettleDeadLetter(string topic, string subscription, long sequence, string lockToken)
    {
        var s = _topics[topic][subscription];
        lock (s)
        {
            var message = s.DeadLetters.FirstOrDefault(m => m.Sequence == sequence && m.LockToken == lockToken);
            if (message is null)
            {
                return Results.StatusCode(StatusCodes.Status410Gone);
            }

            message.LockedUntil = DateTimeOffset.MinValue;
        }

        return Results.Ok();
    }

    private void ExpireLocks(Subscription s)
    {
        foreach (var message in s.Active.Where(m => m.LockToken is not null && m.LockedUntil != DateTimeOffset.MinValue && m.LockedUntil <= DateTimeOffset.UtcNow).ToList())
        {
            message.LockedUntil = DateTimeOffset.MinValue;
            DeadLetterIfExhausted(s, message);
        }
    }

    private void DeadLetterIfExhausted(Subscription s, Message message)
    {
        if (message.DeliveryCount >= MaxDeliveryCount)
        {
            s.Active.Remove(message);
            message.DeadLetterReason = "MaxDeliveryCountExceeded";
            message.DeliveryCount = 0;
            s.DeadLetters.Add(message);
        }
    }

    private sealed class Subscription
    {
        public List<Message> Active { get; } = [];

        public List<Message> DeadLetters { get; } = [];
    }

    private sealed class Message(long sequence, string messageId, string body)
    {
        public long Sequence { get; } = sequence;

        public string MessageId { get; } = messageId;

        public string Body { get; } = body;

        public int DeliveryCount { get; set; }

        public string? LockToken { get; set; }

        public DateTimeOffset LockedUntil { get; set; } = DateTimeOffset.MinValue;

        public string? DeadLetterReason { get; set; }
    }
}

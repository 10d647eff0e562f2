using System.Collections.Concurrent;
using Azure.Messaging;
using Dental.Messaging;

namespace Dental.IntegrationTests.Messaging;

public sealed record ProbeEvent(string Behavior, int Milliseconds = 0)
{
    public const string EventType = "test.probe";
}

/// <summary>What the handlers of a test saw: attempts per event, effects (successful handlings), envelopes.</summary>
public sealed class HandlerProbe
{
    public ConcurrentDictionary<string, int> Attempts { get; } = new();

    public ConcurrentDictionary<string, int> Effects { get; } = new();

    public ConcurrentDictionary<string, CloudEvent> Envelopes { get; } = new();

    public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>While true, "needs-dependency" events fail as if a database were down, and the readiness check says so.</summary>
    public bool DependencyDown { get; set; }

    /// <summary>While true, "until-fixed" events fail permanently (bad data that an operator's fix later makes good).</summary>
    public bool Broken { get; set; }

    /// <summary>How often the readiness check was asked.</summary>
    public int ReadinessChecks => _readinessChecks;

    private int _readinessChecks;

    public bool CheckDependency()
    {
        Interlocked.Increment(ref _readinessChecks);
        return !DependencyDown;
    }

    public int AttemptsOf(string id) => Attempts.GetValueOrDefault(id);

    public int EffectsOf(string id) => Effects.GetValueOrDefault(id);
}

/// <summary>Behaves as the event asks: succeed, fail once, always fail, fail permanently, run slowly, or block (until cancelled) on its first attempt.</summary>
public sealed class ProbeHandler(HandlerProbe probe) : IEventConsumerHandler<ProbeEvent>
{
    public async Task HandleAsync(ProbeEvent data, CloudEvent envelope, CancellationToken cancellationToken)
    {
        var attempt = probe.Attempts.AddOrUpdate(envelope.Id, 1, (_, n) => n + 1);
        probe.Envelopes[envelope.Id] = envelope;
        switch (data.Behavior)
        {
            case "fail-once" when attempt == 1:
                throw new InvalidOperationException("transient failure on the first attempt");
            case "always-fail":
                throw new InvalidOperationException("this event can never be handled");
            case "needs-dependency" when probe.DependencyDown:
                throw new HttpRequestException("the database is unavailable", null, System.Net.HttpStatusCode.ServiceUnavailable);
            case "until-fixed" when probe.Broken:
                throw new PermanentEventFailureException("bad-data: the event refers to something not fixed yet");
            case "permanent":
                throw new PermanentEventFailureException("bad-data: the event names something that cannot exist");
            case "slow":
                await Task.Delay(data.Milliseconds, cancellationToken);
                break;
            case "block-first" when attempt == 1:
                probe.Blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
                break;
        }

        probe.Effects.AddOrUpdate(envelope.Id, 1, (_, n) => n + 1);
    }
}

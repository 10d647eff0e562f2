namespace Dental.Messaging;

/// <summary>The consumers' waits that double while nothing changes: idle polling, a broker or a dependency that is down.</summary>
internal static class Backoff
{
    /// <summary>Twice <paramref name="current"/>, at least <paramref name="floor"/>, at most <paramref name="max"/>.</summary>
    public static TimeSpan Doubled(TimeSpan current, TimeSpan floor, TimeSpan max) =>
        TimeSpan.FromTicks(Math.Min(Math.Max(current.Ticks * 2, floor.Ticks), max.Ticks));
}

using System.Collections.Concurrent;

namespace Dental.Messaging;

/// <summary>
/// Event ids this process is handling or completed recently, so a duplicate delivery does not run its
/// handler a second time. A first line only: handlers stay idempotent on their own, since a duplicate
/// can reach another instance or arrive after a restart.
/// </summary>
internal sealed class ProcessedEventCache(int capacity = 10_000)
{
    private readonly ConcurrentDictionary<string, byte> _inFlight = new();
    private readonly ConcurrentDictionary<string, byte> _done = new();
    private readonly ConcurrentQueue<string> _order = new();

    public bool IsDone(string id) => _done.ContainsKey(id);

    /// <summary>False while the same event is being handled by another delivery.</summary>
    public bool TryBegin(string id) => _inFlight.TryAdd(id, 0);

    public void Abort(string id) => _inFlight.TryRemove(id, out _);

    public void Complete(string id)
    {
        if (_done.TryAdd(id, 0))
        {
            _order.Enqueue(id);
            while (_order.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _done.TryRemove(oldest, out _);
            }
        }

        _inFlight.TryRemove(id, out _);
    }
}

using System.Net;
using System.Net.Sockets;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>
/// A TCP proxy on a free 127.0.0.1 port in front of the gateway that breaks the connection carrying requests every
/// <c>cutEvery</c> bytes sent upstream, <c>cuts</c> times in all: a phone on clinic Wi-Fi.
/// </summary>
internal sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly long _cutEvery;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _forwarded;
    private int _cutsLeft;

    public CuttingProxy(Uri target, long cutEvery, int cuts)
    {
        _target = target;
        _cutEvery = cutEvery;
        _cutsLeft = cuts;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>How many connections it broke.</summary>
    public int Cuts { get; private set; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            await upstream.ConnectAsync(_target.Host, _target.Port);
            using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = PumpAsync(client.GetStream(), upstream.GetStream(), countAndCut: true, connection);
            var down = PumpAsync(upstream.GetStream(), client.GetStream(), countAndCut: false, connection);
            await Task.WhenAny(up, down);
            await connection.CancelAsync();
            client.Client.LingerState = new LingerOption(true, 0);
            upstream.Client.LingerState = new LingerOption(true, 0);
        }
    }

    private async Task PumpAsync(Stream from, Stream to, bool countAndCut, CancellationTokenSource connection)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, connection.Token);
                if (read == 0)
                {
                    return;
                }

                await to.WriteAsync(buffer.AsMemory(0, read), connection.Token);
                if (countAndCut && ShouldCut(read))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
        {
        }
    }

    private bool ShouldCut(int read)
    {
        lock (_stop)
        {
            var before = _forwarded;
            _forwarded += read;
            if (_cutsLeft > 0 && before / _cutEvery != _forwarded / _cutEvery)
            {
                _cutsLeft--;
                Cuts++;
                return true;
            }

            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}

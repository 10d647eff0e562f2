using System.Net;

namespace Dental.Testing;

/// <summary>Polling for states that are reached asynchronously (readiness, background processing).</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Polls a GET until it answers <paramref name="status"/>; returns the body.</summary>
    public static async Task<string> StatusAsync(HttpClient client, string path, HttpStatusCode status, TimeSpan? timeout = null)
    {
        var (_, body) = await ReturnsAsync(
            async () =>
            {
                using var response = await client.GetAsync(path);
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            },
            r => r.StatusCode == status,
            $"GET {path} to answer {(int)status}",
            timeout);
        return body;
    }
}

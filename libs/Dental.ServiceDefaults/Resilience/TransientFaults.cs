using System.Net;
using System.Net.Sockets;
using Polly.Timeout;

namespace Dental.ServiceDefaults.Resilience;

/// <summary>Which failures are worth retrying: network trouble, throttling and server-side hiccups, never bad input.</summary>
public static class TransientFaults
{
    public static bool IsTransientStatus(int status) =>
        status is 408 or 429 or 500 or 502 or 503 or 504;

    public static bool IsTransient(Exception exception) => exception switch
    {
        TimeoutRejectedException or TimeoutException or SocketException or IOException => true,
        HttpRequestException { StatusCode: null } => true,
        HttpRequestException { StatusCode: { } code } => IsTransientStatus((int)code),
        // Azure SDK and Cosmos exceptions expose the HTTP status under different types; reading the
        // property by name keeps this library free of a reference to either SDK.
        _ when StatusOf(exception) is { } status => IsTransientStatus(status),
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    private static int? StatusOf(Exception exception) => exception.GetType().GetProperty("Status")?.GetValue(exception) switch
    {
        int status => status,
        _ => exception.GetType().GetProperty("StatusCode")?.GetValue(exception) switch
        {
            HttpStatusCode code => (int)code,
            _ => null,
        },
    };
}

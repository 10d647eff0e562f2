using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Dental.AppHost;

/// <summary>
/// The fixed ports of a local run (the gateway's and the dashboard's) are checked before anything starts,
/// so a taken port stops the start with one line that says how to move it, not a half-started stack.
/// </summary>
internal static class PortGuard
{
    public static bool AllFree(AppHostSettings settings, IConfiguration configuration)
    {
        var fixedPorts = new List<(int Port, string What, string Option)>();
        if (settings.GatewayPort > 0)
        {
            fixedPorts.Add((settings.GatewayPort, "the gateway's port", $"--{AppHostSettings.Section}:GatewayPort=<port>"));
        }

        foreach (var (key, what) in new[]
        {
            ("ASPNETCORE_URLS", "the dashboard's port"),
            ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "the dashboard's telemetry port"),
            ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "the dashboard's resource service port"),
        })
        {
            if (Uri.TryCreate(configuration[key]?.Split(';')[0], UriKind.Absolute, out var url) && url.Port > 0)
            {
                fixedPorts.Add((url.Port, what, $"{key}=http://127.0.0.1:<port>"));
            }
        }

        foreach (var (port, what, option) in fixedPorts)
        {
            if (!IsFree(port))
            {
                Console.Error.WriteLine($"Port {port} ({what}) is already in use: stop what uses it or start with {option}.");
                return false;
            }
        }

        return true;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

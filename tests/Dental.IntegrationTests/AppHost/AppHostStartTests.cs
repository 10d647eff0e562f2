using System.Net;
using System.Net.Sockets;
using Dental.Testing;

namespace Dental.IntegrationTests.AppHost;

/// <summary>The app host run as a developer runs it: a taken fixed port stops it at once with one clear line.</summary>
public class AppHostStartTests
{
    public static TheoryData<string, string, string> FixedPorts => new()
    {
        { "--Dental:GatewayPort={0}", "", "the gateway's port" },
        { "--Dental:GatewayPort=0", "ASPNETCORE_URLS=http://127.0.0.1:{0}", "the dashboard's port" },
    };

    [Theory]
    [MemberData(nameof(FixedPorts))]
    public async Task A_taken_fixed_port_stops_the_start_with_one_line_naming_the_port_and_the_option(string argument, string variable, string what)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var environment = new Dictionary<string, string?>();
        if (variable.Length > 0)
        {
            var (key, value) = (variable.Split('=')[0], string.Format(System.Globalization.CultureInfo.InvariantCulture, variable.Split('=', 2)[1], port));
            environment[key] = value;
        }

        var directory = Path.Combine(RepositoryPaths.Root, "Dental.AppHost", "bin", ServiceProcess.Configuration, "net10.0");
        using var appHost = new TestProcess("apphost", "dotnet",
            [Path.Combine(directory, "Dental.AppHost.dll"), string.Format(System.Globalization.CultureInfo.InvariantCulture, argument, port)], directory, environment);

        Assert.Equal(1, await appHost.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var lines = appHost.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.Contains($"Port {port} ({what}) is already in use", line, StringComparison.Ordinal);
        Assert.Contains(variable.Length > 0 ? "ASPNETCORE_URLS=" : "--Dental:GatewayPort=", line, StringComparison.Ordinal);
    }
}

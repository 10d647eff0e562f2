using Dental.AppHost.Hosting;
using Dental.Testing;

namespace Dental.IntegrationTests.Foundation;

/// <summary>The AppHost's resource model, exercised with tiny Node.js servers standing in for the real resources.</summary>
public class AppHostOrchestrationTests
{
    private static string Server(int port) => $"require('http').createServer((q, s) => s.end('ok')).listen({port}, '127.0.0.1')";

    // Exits with an error unless the given port already answers: proves it was started after its dependency was ready.
    private static string ServerRequiring(int port, int dependency) =>
        $"require('net').connect({dependency}, '127.0.0.1').on('error', () => process.exit(3)).on('connect', () => {{ {Server(port)} }})";

    [Fact]
    public async Task Starts_in_dependency_order_injects_settings_and_stops_every_child()
    {
        var (first, second) = (FreePort.Next(), FreePort.Next());
        var app = new DistributedApplication { ReadinessTimeout = TimeSpan.FromSeconds(30) };
        var database = app.AddResource("database", "node")
            .WithArgs("-e", "setTimeout(() => { " + Server(first) + " }, 500)")
            .WithHttpReadiness($"http://127.0.0.1:{first}/")
            .WithConnectionSetting("TARGET_PORT", first.ToString(System.Globalization.CultureInfo.InvariantCulture));
        app.AddResource("service", "node")
            .WithArgs("-e", ServerRequiring(second, first).Replace(first.ToString(System.Globalization.CultureInfo.InvariantCulture), "process.env.TARGET_PORT", StringComparison.Ordinal))
            .WithReference(database)
            .WaitFor(database)
            .WithHttpReadiness($"http://127.0.0.1:{second}/");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var allReady = new TaskCompletionSource();
        var run = app.RunAsync(_ => allReady.SetResult(), stop.Token);
        await allReady.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(await FreePort.IsListeningAsync(first));
        Assert.True(await FreePort.IsListeningAsync(second));

        await stop.CancelAsync();
        Assert.Equal(0, await run);
        Assert.False(await FreePort.IsListeningAsync(first));
        Assert.False(await FreePort.IsListeningAsync(second));
    }

    [Fact]
    public async Task A_resource_that_dies_stops_the_others_and_fails_the_run()
    {
        var port = FreePort.Next();
        var app = new DistributedApplication { ReadinessTimeout = TimeSpan.FromSeconds(30) };
        app.AddResource("steady", "node").WithArgs("-e", Server(port)).WithHttpReadiness($"http://127.0.0.1:{port}/");
        app.AddResource("crashing", "node").WithArgs("-e", "setTimeout(() => process.exit(7), 300)");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await app.RunAsync(_ => { }, timeout.Token);

        Assert.Equal(1, exitCode);
        Assert.False(timeout.IsCancellationRequested);
        Assert.False(await FreePort.IsListeningAsync(port));
    }
}

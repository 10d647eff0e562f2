using Dental.AppHost;
using Dental.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

var options = new ConfigurationBuilder()
    .AddEnvironmentVariables("DENTAL_")
    .AddCommandLine(args.Select(a => a is "--reset" or "--no-dashboard" ? a + "=true" : a).ToArray(), new Dictionary<string, string>
    {
        ["--reset"] = nameof(AppHostOptions.Reset),
        ["--no-dashboard"] = nameof(AppHostOptions.NoDashboard),
    })
    .Build()
    .Get<AppHostOptions>() ?? new AppHostOptions();

var root = Setup.FindRepositoryRoot();
var emulators = Path.Combine(root, "emulators");
var data = Path.GetFullPath(Path.Combine(root, options.DataDirectory));
if (options.Reset && Directory.Exists(data))
{
    Directory.Delete(data, recursive: true);
    Console.WriteLine($"Reset: deleted {data}");
}

Directory.CreateDirectory(data);
await Setup.EnsureEmulatorPackagesAsync(emulators, withDashboard: !options.NoDashboard);

var app = new DistributedApplication();
var stack = new LocalStack(app, options, root, data);
stack.Build();

using var shutdown = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    shutdown.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM,
    context =>
    {
        context.Cancel = true;
        shutdown.Cancel();
    });

return await app.RunAsync(stack.PrintWelcome, shutdown.Token);

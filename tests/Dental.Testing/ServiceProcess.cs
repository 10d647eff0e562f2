using System.Reflection;

namespace Dental.Testing;

/// <summary>
/// Starts one service alone as a real process (built output), configured by environment variables: for the
/// few tests and benchmarks that measure one process (its memory, its throughput). The whole platform is
/// started through the app host (<see cref="AspirePlatform"/>).
/// </summary>
public static class ServiceProcess
{
    public static string Configuration =>
        typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <param name="directory">Another build of the service (a benchmark's baseline); this checkout's build when null.</param>
    public static async Task<TestProcess> StartAsync(string project, int port, IReadOnlyDictionary<string, string?> settings, string environment = "Development", string? directory = null)
    {
        directory ??= Path.Combine(RepositoryPaths.Root, "services", project, "bin", Configuration, "net10.0");
        var dll = Path.Combine(directory, $"Dental.{project}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the solution first: {dll} is missing.");
        }

        var variables = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        variables["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        variables["ASPNETCORE_ENVIRONMENT"] = environment;
        variables["Logging__LogLevel__Default"] = "Warning";
        var process = new TestProcess(project, "dotnet", [dll], directory, variables);
        await process.WaitUntilAsync(() => IsReadyAsync($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(60));
        return process;
    }

    /// <summary>Whether the server at <paramref name="address"/> answers its readiness probe (no answer counts as not ready).</summary>
    public static async Task<bool> IsReadyAsync(string address)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await http.GetAsync(new Uri($"{address}/health/ready"))).IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}

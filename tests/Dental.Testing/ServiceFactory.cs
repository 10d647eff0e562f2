using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dental.Testing;

/// <summary>
/// Hosts one service in-process over the test server, configured for a <see cref="TestScope"/>.
/// <typeparamref name="TMarker"/> is any public type of the service's assembly.
/// </summary>
public sealed class ServiceFactory<TMarker>(IReadOnlyDictionary<string, string?> settings, string environment = "Development", Action<IWebHostBuilder>? configure = null)
    : WebApplicationFactory<TMarker>
    where TMarker : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        configure?.Invoke(builder);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

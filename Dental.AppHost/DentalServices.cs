namespace Dental.AppHost;

/// <summary>The platform's four services as project resources, wired the way Azure wires them.</summary>
public static class DentalServices
{
    public static IResourceBuilder<ProjectResource> AddDentalService<TProject>(
        this IDistributedApplicationBuilder builder, string name, AppHostSettings settings, int? port = null)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name, launchProfileName: null)
            // Not proxied: a request reaches the service itself, as in Azure, without one more hop per call.
            .WithHttpEndpoint(port: port is 0 ? null : port, name: "http", isProxied: false)
            // Without a launch profile nothing else tells a project its environment: run it in the app host's.
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithEnvironment("Auth__SigningKey", settings.DevelopmentSigningKey)
            // A local run serves two clinics from the start (in Azure the operator registers each one).
            .WithEnvironment("Clinics__Seed__0", "clinic-a")
            .WithEnvironment("Clinics__Seed__1", "clinic-b")
            .WithHttpHealthCheck("/health/ready");

    /// <summary>The gateway routes to this service by name (http://upload) through service discovery.</summary>
    public static IResourceBuilder<ProjectResource> WithBackend(this IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ProjectResource> backend) =>
        gateway.WithReference(backend).WaitFor(backend);

    /// <summary>Builds the web client (type check, then Vite) before the gateway starts serving it at /.</summary>
    public static IResourceBuilder<ExecutableResource> AddWebClientBuild(this IDistributedApplicationBuilder builder, AppHostSettings settings) =>
        builder.AddExecutable("web-build", "bash", settings.RepositoryRoot, Path.Combine("scripts", "build-web.sh"))
            .WithIconName("Globe");

    public static IResourceBuilder<ProjectResource> WithWebClient(
        this IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ExecutableResource> build, AppHostSettings settings) =>
        gateway
            .WithEnvironment("WebClient__Path", Path.Combine(settings.RepositoryRoot, "web", "dist"))
            .WaitForCompletion(build);
}

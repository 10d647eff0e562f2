namespace Dental.AppHost.Hosting;

/// <summary>Fluent configuration of a <see cref="Resource"/>, in the style of .NET Aspire's AppHost.</summary>
public sealed class ResourceBuilder(Resource resource)
{
    public Resource Resource { get; } = resource;

    public ResourceBuilder WithArgs(params string[] arguments)
    {
        Resource.Arguments.AddRange(arguments);
        return this;
    }

    public ResourceBuilder WithEnvironment(string name, string value) => WithEnvironment(name, () => value);

    public ResourceBuilder WithEnvironment(string name, Func<string> value)
    {
        Resource.Environment[name] = value;
        return this;
    }

    /// <summary>Injects the referenced resource's connection settings.</summary>
    public ResourceBuilder WithReference(ResourceBuilder other)
    {
        foreach (var (key, value) in other.Resource.ConnectionSettings)
        {
            Resource.Environment[key] = value;
        }

        return this;
    }

    public ResourceBuilder WithConnectionSetting(string name, string value)
    {
        Resource.ConnectionSettings[name] = () => value;
        return this;
    }

    public ResourceBuilder WaitFor(ResourceBuilder other)
    {
        Resource.WaitsFor.Add(other.Resource);
        return this;
    }

    public ResourceBuilder WithHttpReadiness(string url, bool acceptSelfSignedCertificate = false)
    {
        Resource.ReadinessProbe = ct => Probes.HttpOkAsync(url, acceptSelfSignedCertificate, ct);
        return this;
    }

    public ResourceBuilder WithTcpReadiness(int port)
    {
        Resource.ReadinessProbe = ct => Probes.TcpOpenAsync(port, ct);
        return this;
    }

    public ResourceBuilder WithDisplayUrl(string url)
    {
        Resource.DisplayUrl = url;
        return this;
    }
}

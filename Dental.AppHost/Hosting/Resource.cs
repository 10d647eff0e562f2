namespace Dental.AppHost.Hosting;

/// <summary>
/// One thing the local stack runs: an emulator, the dashboard, or a service. Declarative: what to
/// start, which settings it receives, how to tell it is ready, and what it waits for.
/// </summary>
public sealed class Resource(string name, string command)
{
    public string Name { get; } = name;

    public string Command { get; } = command;

    public List<string> Arguments { get; } = [];

    public string? WorkingDirectory { get; set; }

    /// <summary>Settings injected as environment variables; evaluated at start so references can resolve.</summary>
    public Dictionary<string, Func<string>> Environment { get; } = [];

    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Answers true once the resource serves requests.</summary>
    public Func<CancellationToken, Task<bool>>? ReadinessProbe { get; set; }

    /// <summary>Where a person can reach the resource, printed when the stack is up.</summary>
    public string? DisplayUrl { get; set; }

    /// <summary>Settings a resource that references this one receives (for example a connection string).</summary>
    public Dictionary<string, Func<string>> ConnectionSettings { get; } = [];
}

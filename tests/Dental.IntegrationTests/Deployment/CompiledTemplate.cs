using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dental.Testing;

namespace Dental.IntegrationTests.Deployment;

/// <summary>
/// deploy/bicep compiled by the Bicep CLI (the Azure.Bicep.CommandLine package: its path comes from the package's
/// MSBuild props into this assembly's metadata), and the facts no compiler checks read from the ARM JSON.
/// </summary>
internal static partial class CompiledTemplate
{
    private static readonly Lazy<JsonObject> Main = new(() => JsonNode.Parse(Run("build", Path.Combine(Folder, "main.bicep"), "--stdout").Output)!.AsObject());

    /// <summary>main.bicep, compiled.</summary>
    public static JsonObject Root => Main.Value;

    public static string Folder => Path.Combine(RepositoryPaths.Root, "deploy", "bicep");

    public static string Cli { get; } = typeof(CompiledTemplate).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;

    public static IEnumerable<string> Files() => Directory.EnumerateFiles(Folder, "*.bicep", SearchOption.AllDirectories);

    /// <summary>Runs the Bicep CLI; its diagnostics (errors and warnings, compiler and linter) go to standard error.</summary>
    public static (int ExitCode, string Output, string Diagnostics) Run(params string[] arguments)
    {
        var info = new ProcessStartInfo(Cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var bicep = Process.Start(info)!;
        var output = bicep.StandardOutput.ReadToEndAsync();
        var diagnostics = bicep.StandardError.ReadToEnd();
        bicep.WaitForExit();
        return (bicep.ExitCode, output.Result, diagnostics);
    }

    /// <summary>A module's compiled template (main.bicep's nested deployment of that name).</summary>
    public static JsonObject Module(string name) =>
        Main.Value["resources"]!.AsArray().Single(r => (string?)r!["name"] == name)!["properties"]!["template"]!.AsObject();

    public static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"]!.AsArray().Select(r => r!.AsObject());

    public static IEnumerable<JsonObject> AllResources() => Main.Value["resources"]!.AsArray().SelectMany(m => Resources(m!["properties"]!["template"]!.AsObject()));

    /// <summary>
    /// The environment each container app gets, from the module's settings variable (a concat of setting lists):
    /// names as written, values as written or, where the template computes them, the expression itself.
    /// </summary>
    public static Dictionary<string, List<(string Name, string Value)>> ContainerSettings()
    {
        var variables = Module("containerapps")["variables"]!.AsObject();
        var loops = variables["copy"]?.AsArray().ToDictionary(c => (string)c!["name"]!, c => c!["input"]!.AsObject()) ?? [];
        return variables["settings"]!.AsObject().ToDictionary(
            s => s.Key,
            s => VariableReference().Matches((string)s.Value!).SelectMany(m =>
                loops.TryGetValue(m.Groups[1].Value, out var loop)
                    ? [Setting(loop)]
                    : variables[m.Groups[1].Value]!.AsArray().Select(e => Setting(e!.AsObject()))).ToList());

        static (string, string) Setting(JsonObject entry) =>
            ((string)entry["name"]!, (string?)entry["value"] ?? $"[secret {(string?)entry["secretRef"]}]");
    }

    /// <summary>The last literal segment of a resource's name expression: 'originals' in format('{0}/{1}/{2}', ..., 'default', 'originals').</summary>
    public static string? LiteralName(string name) =>
        name.StartsWith('[') ? LastLiteral().Match(name) is { Success: true } m ? m.Groups[1].Value : null : name.Split('/')[^1];

    /// <summary>Resources a template refers to by resourceId('type', ..., 'name') (Bicep's existing resources).</summary>
    public static IEnumerable<(string Type, string Name)> ReferencedResources() =>
        ResourceIdReference().Matches(Text(Main.Value)).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Distinct();

    /// <summary>The JSON as written (expressions' quotes not escaped).</summary>
    public static string Text(JsonNode node) =>
        node.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [GeneratedRegex(@"variables\('(\w+)'\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"'([^']+)'\)\]$")]
    private static partial Regex LastLiteral();

    [GeneratedRegex(@"resourceId\('([\w./]+)'(?:, [^,()]+(?:\([^()]*\))?)*, '([\w-]+)'\)")]
    private static partial Regex ResourceIdReference();
}

using System.Text.RegularExpressions;
using Dental.Testing;

namespace Dental.IntegrationTests.Deployment;

/// <summary>
/// Just enough reading of the Bicep files to check them without a Bicep compiler (none is obtainable
/// here): modules, outputs, params, resources, variables and the container apps' environment settings.
/// </summary>
internal static partial class BicepTemplates
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "deploy", "bicep");

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Folder, relative));

    public static IEnumerable<string> All() => Directory.EnumerateFiles(Folder, "*.bicep", SearchOption.AllDirectories);

    public static IEnumerable<(string Name, string Path)> Modules(string text) =>
        ModuleRegex().Matches(text).Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    public static IEnumerable<(string Module, string Output)> OutputReferences(string text) =>
        OutputReferenceRegex().Matches(text).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Distinct();

    public static HashSet<string> Outputs(string text) => [.. OutputRegex().Matches(text).Select(m => m.Groups[1].Value)];

    /// <summary>Params of a module, with whether they have a default value.</summary>
    public static Dictionary<string, bool> Params(string text) =>
        ParamRegex().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Contains('=', StringComparison.Ordinal));

    /// <summary>The names passed in a module's params block in main.bicep.</summary>
    public static HashSet<string> PassedParams(string text, string module)
    {
        var start = text.IndexOf($"module {module} ", StringComparison.Ordinal);
        var block = text[(text.IndexOf("params:", start, StringComparison.Ordinal) + "params:".Length)..];
        block = block[..block.IndexOf("\n}", StringComparison.Ordinal)];
        return [.. PassedRegex().Matches(block).Select(m => m.Groups[1].Value)];
    }

    public static Dictionary<string, string> StringVariables(string text) =>
        StringVariableRegex().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    public static IEnumerable<string> Guids(string text) => GuidRegex().Matches(text).Select(m => m.Value);

    /// <summary>(type, literal name) of every resource declared (not "existing"), for-loops over literal lists included.</summary>
    public static HashSet<(string Type, string Name)> DeclaredResources()
    {
        var declared = new HashSet<(string, string)>();
        foreach (var file in All())
        {
            foreach (Match m in ResourceRegex().Matches(File.ReadAllText(file)))
            {
                if (m.Groups[3].Success)
                {
                    continue;
                }

                var body = m.Groups[4].Value;
                foreach (var name in LiteralNames(body))
                {
                    declared.Add((m.Groups[2].Value, name));
                }
            }
        }

        return declared;
    }

    /// <summary>(type, literal name) of every "existing" resource a template relies on.</summary>
    public static IEnumerable<(string File, string Type, string Name)> ExistingReferences()
    {
        foreach (var file in All())
        {
            foreach (Match m in ResourceRegex().Matches(File.ReadAllText(file)))
            {
                if (m.Groups[3].Success && NameLiteralRegex().Match(m.Groups[4].Value) is { Success: true } name)
                {
                    yield return (Path.GetFileName(file), m.Groups[2].Value, name.Groups[1].Value);
                }
            }
        }
    }

    /// <summary>Environment variable names each container app receives (service → names), from containerapps.bicep.</summary>
    public static Dictionary<string, List<(string Name, string Value)>> ContainerSettings()
    {
        var text = Read("modules/containerapps.bicep");
        var lists = ArrayVariableRegex().Matches(text).ToDictionary(m => m.Groups[1].Value, m => Entries(m.Groups[2].Value));
        var settings = text[text.IndexOf("var settings = {", StringComparison.Ordinal)..];
        settings = settings[..settings.IndexOf("\n}", StringComparison.Ordinal)];
        var perApp = ContainerEnvRegex().Match(text).Groups[1].Value;
        var result = new Dictionary<string, List<(string, string)>>();
        foreach (Match service in ServiceSettingsRegex().Matches(settings))
        {
            var expression = service.Groups[2].Value;
            var entries = new List<(string, string)>(Entries(expression));
            foreach (var (name, list) in lists)
            {
                if (Regex.IsMatch(expression, $@"\b{name}\b"))
                {
                    entries.AddRange(list);
                }
            }

            entries.AddRange(Entries(perApp));
            result[service.Groups[1].Value] = entries;
        }

        return result;
    }

    private static List<(string Name, string Value)> Entries(string text) =>
        [.. EntryRegex().Matches(text).Select(m => (m.Groups[1].Value, m.Groups[2].Value.Trim()))];

    private static IEnumerable<string> LiteralNames(string body)
    {
        if (NameLiteralRegex().Match(body) is { Success: true } literal)
        {
            yield return literal.Groups[1].Value;
        }

        if (ForListRegex().Match(body) is { Success: true } loop)
        {
            foreach (Match item in Regex.Matches(loop.Groups[1].Value, "'([^']+)'"))
            {
                yield return item.Groups[1].Value;
            }
        }
    }

    [GeneratedRegex(@"^module (\w+) '([^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModuleRegex();

    [GeneratedRegex(@"\b(\w+)\.outputs\.(\w+)")]
    private static partial Regex OutputReferenceRegex();

    [GeneratedRegex(@"^output (\w+) ", RegexOptions.Multiline)]
    private static partial Regex OutputRegex();

    [GeneratedRegex(@"^param (\w+) ([^\n]*)", RegexOptions.Multiline)]
    private static partial Regex ParamRegex();

    [GeneratedRegex(@"(?:^|[{,])\s*(\w+):", RegexOptions.Multiline)]
    private static partial Regex PassedRegex();

    [GeneratedRegex(@"^var (\w+) = '([^']*)'", RegexOptions.Multiline)]
    private static partial Regex StringVariableRegex();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex GuidRegex();

    [GeneratedRegex(@"^resource (\w+) '([^@']+)@[^']+' (existing )?= (.*?)\n\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ResourceRegex();

    [GeneratedRegex(@"^\s*name: '([^'$]+)'", RegexOptions.Multiline)]
    private static partial Regex NameLiteralRegex();

    [GeneratedRegex(@"for \w+ in \[([^\]]*)\]")]
    private static partial Regex ForListRegex();

    [GeneratedRegex(@"^var (\w+) = \[(.*?)\n\]", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ArrayVariableRegex();

    [GeneratedRegex(@"^\s{2}(\w+): (.*?)(?=^\s{2}\w+: |\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ServiceSettingsRegex();

    [GeneratedRegex(@"env: concat\(settings\[service\], \[(.*?)\]\)", RegexOptions.Singleline)]
    private static partial Regex ContainerEnvRegex();

    [GeneratedRegex(@"\{ name: '([^'$]+)', value: ([^}]*)\}")]
    private static partial Regex EntryRegex();
}

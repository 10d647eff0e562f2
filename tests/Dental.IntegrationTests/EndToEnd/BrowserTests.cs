using Dental.Testing;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>Runs one of web/e2e's Playwright test files (node --test) against a running gateway.</summary>
internal static class BrowserTests
{
    public static string Artifacts { get; } = Path.Combine(RepositoryPaths.Root, "artifacts", "web-e2e");

    public static async Task RunAsync(string testFile, Uri gateway, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Web, "dist", "index.html")), "Build the web client first (scripts/build-web.sh; scripts/test.sh does).");
        Assert.True(File.Exists("/usr/bin/chromium"), "Install Debian's chromium (scripts/prerequisites.sh --with-browser; scripts/test.sh does).");
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["DENTAL_GATEWAY"] = gateway.ToString().TrimEnd('/'),
            ["DENTAL_E2E_ARTIFACTS"] = Artifacts,
            ["NO_COLOR"] = "1",
        };

        using var run = new TestProcess($"browser tests {testFile}", "node", ["--test", "--test-reporter=spec", $"e2e/{testFile}"], RepositoryPaths.Web, variables);
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, $"browser tests failed (exit {exitCode}):\n{run.Output}");
        Assert.Matches(@"pass [1-9]\d*", run.Output);
        Assert.Contains("fail 0", run.Output, StringComparison.Ordinal);
    }
}

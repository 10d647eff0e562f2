using Dental.Testing;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>
/// The web client in headless Chromium (Debian's package, driven by Playwright: web/e2e) against all four
/// services as processes: sign in, open a patient, upload through the UI, previews, chart counts,
/// before/after, a refused file. Screenshots are kept in artifacts/web-e2e.
/// </summary>
public class WebClientBrowserTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private static readonly string Web = Path.Combine(RepositoryPaths.Root, "web");
    private static readonly string Artifacts = Path.Combine(RepositoryPaths.Root, "artifacts", "web-e2e");

    [Fact]
    public async Task A_clinician_uploads_compares_and_is_told_about_a_refused_file_in_the_browser()
    {
        Assert.True(File.Exists(Path.Combine(Web, "dist", "index.html")), "Build the web client first (scripts/build-web.sh; scripts/test.sh does).");
        Assert.True(File.Exists("/usr/bin/chromium"), "Install Debian's chromium (scripts/prerequisites.sh --with-browser; scripts/test.sh does).");
        if (Directory.Exists(Artifacts))
        {
            Directory.Delete(Artifacts, recursive: true);
        }

        using var run = new TestProcess("web e2e", "node", ["--test", "--test-reporter=spec", "e2e/web-client.test.mjs"], Web, new Dictionary<string, string?>
        {
            ["DENTAL_GATEWAY"] = fixture.Platform.GatewayAddress.ToString().TrimEnd('/'),
            ["DENTAL_E2E_ARTIFACTS"] = Artifacts,
            ["NO_COLOR"] = "1",
        });
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, $"browser tests failed (exit {exitCode}):\n{run.Output}");
        Assert.Matches(@"pass [1-9]\d*", run.Output);
        Assert.Contains("fail 0", run.Output, StringComparison.Ordinal);
        foreach (var screenshot in new[] { "chart.png", "viewer.png", "before-after-slider.png", "refused-file.png" })
        {
            Assert.True(new FileInfo(Path.Combine(Artifacts, screenshot)) is { Exists: true, Length: > 1000 }, $"{screenshot} was kept");
        }
    }
}

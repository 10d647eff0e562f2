namespace Dental.IntegrationTests.EndToEnd;

/// <summary>
/// The web client in headless Chromium (Debian's package, driven by Playwright: web/e2e) against all four
/// services as processes: sign in, open a patient, upload through the UI, previews, chart counts,
/// before/after, a refused file, editing with a conflict, a correction, a variant over its original. Screenshots are kept in artifacts/web-e2e.
/// </summary>
public class WebClientBrowserTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task A_clinician_uploads_compares_and_is_told_about_a_refused_file_in_the_browser()
    {
        await BrowserTests.RunAsync("web-client.test.mjs", fixture.Platform.GatewayAddress);

        foreach (var screenshot in new[] { "chart.png", "viewer.png", "before-after-slider.png", "refused-file.png", "edit-conflict.png", "variant-overlay.png" })
        {
            Assert.True(new FileInfo(Path.Combine(BrowserTests.Artifacts, screenshot)) is { Exists: true, Length: > 1000 }, $"{screenshot} was kept");
        }
    }
}

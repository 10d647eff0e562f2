using Dental.Testing;

namespace Dental.IntegrationTests.EndToEnd;

/// <summary>
/// The web client in headless Chromium (Debian's package, driven by Playwright: web/e2e) against all four
/// services as processes, on a tablet in landscape and in portrait: sign in, find a patient, upload through the UI,
/// previews, chart counts, the zoomable viewer, before/after, a refused file, an X-ray's lossy preview, a photo stored
/// sideways, editing with a conflict, a correction, a variant over its original, the audit trail; axe-core checks every
/// state. Screenshots are kept in artifacts/web-e2e/{viewport}.
/// </summary>
public class WebClientBrowserTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    [Theory]
    [InlineData("1024x768")]
    [InlineData("768x1024")]
    public async Task A_clinician_uploads_views_compares_and_is_told_about_a_refused_file_in_the_browser(string viewport)
    {
        var sideways = Path.Combine(Path.GetTempPath(), $"dental-e2e-sideways-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(sideways, JpegFixtures.WithExif(JpegFixtures.Encode(TestImages.Png(600, 400), 600), orientation: 6));
        try
        {
            await BrowserTests.RunAsync("web-client.test.mjs", fixture.Platform.GatewayAddress, new Dictionary<string, string?>
            {
                ["DENTAL_E2E_VIEWPORT"] = viewport,
                ["DENTAL_E2E_ROTATED_JPEG"] = sideways,
            });
        }
        finally
        {
            File.Delete(sideways);
        }

        foreach (var screenshot in new[] { "chart.png", "patient-picker.png", "viewer.png", "viewer-zoomed.png", "viewer-xray.png", "before-after-slider.png", "refused-file.png", "edit-conflict.png", "variant-overlay.png", "audit.png" })
        {
            Assert.True(new FileInfo(Path.Combine(BrowserTests.Artifacts, viewport, screenshot)) is { Exists: true, Length: > 1000 }, $"{screenshot} at {viewport} was kept");
        }
    }
}

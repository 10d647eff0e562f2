using Dental.Catalog;
using Dental.Testing;
using Microsoft.Extensions.Options;

namespace Dental.IntegrationTests.Foundation;

public class OptionsValidationTests
{
    [Fact]
    public async Task A_missing_setting_stops_the_service_with_a_message_naming_it()
    {
        var scope = await TestScope.CreateAsync();
        var settings = scope.ServiceSettings();
        settings.Remove("Cosmos:ConnectionString");
        var error = StartFails(settings);
        Assert.Contains("Cosmos:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_setting_stops_the_service()
    {
        var scope = await TestScope.CreateAsync();
        var settings = scope.ServiceSettings();
        settings["Catalog:DocumentBudgetBytes"] = "3000000";
        var error = StartFails(settings);
        Assert.Contains("DocumentBudgetBytes", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The validation error a Catalog started with these settings stops with. WebApplicationFactory's deferred host may instead
    /// report its own disposal when the service stops that early (a race inside it, seen on loaded machines): that start is tried again.
    /// </summary>
    private static OptionsValidationException StartFails(Dictionary<string, string?> settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var catalog = new ServiceFactory<CatalogOptions>(settings);
            var error = Record.Exception(() => catalog.CreateClient());
            if (error is ObjectDisposedException && attempt < 3)
            {
                continue;
            }

            return Assert.IsType<OptionsValidationException>(error);
        }
    }
}

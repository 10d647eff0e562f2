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
        using var catalog = new ServiceFactory<CatalogOptions>(settings);

        var error = Assert.Throws<OptionsValidationException>(() => catalog.CreateClient());
        Assert.Contains("Cosmos:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_setting_stops_the_service()
    {
        var scope = await TestScope.CreateAsync();
        var settings = scope.ServiceSettings();
        settings["Catalog:DocumentBudgetBytes"] = "3000000";
        using var catalog = new ServiceFactory<CatalogOptions>(settings);

        var error = Assert.Throws<OptionsValidationException>(() => catalog.CreateClient());
        Assert.Contains("DocumentBudgetBytes", error.Message, StringComparison.Ordinal);
    }
}

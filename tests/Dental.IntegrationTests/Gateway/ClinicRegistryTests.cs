using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dental.Catalog;
using Dental.Clinics;
using Dental.Contracts.Api;
using Dental.ServiceDefaults.Auth;
using Dental.Testing;

namespace Dental.IntegrationTests.Gateway;

/// <summary>Only clinics registered with the platform, and active, are served: at the gateway and again at each service.</summary>
public class ClinicRegistryTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static async Task<(HttpStatusCode Status, string? Type)> GetAsync(HttpClient client, string clinic)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/patients/p-{Guid.NewGuid():N}/images");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(Roles.Clinician, clinic: clinic));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var type = response.StatusCode == HttpStatusCode.Forbidden ? JsonDocument.Parse(body).RootElement.GetProperty("type").GetString() : null;
        return (response.StatusCode, type);
    }

    [Fact]
    public async Task An_unregistered_clinic_is_refused_and_a_suspended_one_within_the_cache_time_until_reactivated()
    {
        var client = fixture.Client(null);
        var clinic = $"clinic-{Guid.NewGuid():N}"[..20];
        Assert.Equal((HttpStatusCode.Forbidden, ProblemTypes.ClinicNotServed), await GetAsync(client, clinic));

        var registry = fixture.Scope.Clinics();
        Assert.True(await registry.RegisterAsync(clinic, "test clinic", CancellationToken.None));
        Assert.False(await registry.RegisterAsync(clinic, "again", CancellationToken.None));
        await Eventually.ReturnsAsync(() => GetAsync(client, clinic), r => r.Status == HttpStatusCode.OK, "the registered clinic to be served");

        Assert.Equal(ClinicStatus.Suspended, (await registry.SetStatusAsync(clinic, ClinicStatus.Suspended, CancellationToken.None))!.Status);
        Assert.Equal(ProblemTypes.ClinicNotServed, (await Eventually.ReturnsAsync(() => GetAsync(client, clinic), r => r.Status == HttpStatusCode.Forbidden, "the suspension to take effect")).Type);

        await registry.SetStatusAsync(clinic, ClinicStatus.Active, CancellationToken.None);
        await Eventually.ReturnsAsync(() => GetAsync(client, clinic), r => r.Status == HttpStatusCode.OK, "the reactivated clinic to be served");
        Assert.Null(await registry.SetStatusAsync("clinic-never-registered", ClinicStatus.Suspended, CancellationToken.None));
        Assert.Contains(await registry.ListAsync(CancellationToken.None), c => c.Id == clinic && c.Status == ClinicStatus.Active);
    }

    [Fact]
    public async Task A_service_refuses_an_unregistered_or_suspended_clinic_on_its_own()
    {
        var scope = await TestScope.CreateAsync();
        await using var catalog = new ServiceFactory<CatalogOptions>(scope.ServiceSettings());
        var client = catalog.CreateClient();
        // Its containers are created at start: ask once it is ready.
        await Eventually.StatusAsync(catalog.CreateClient(), "/health/ready", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, TestTokens.Clinic)).Status);
        Assert.Equal((HttpStatusCode.Forbidden, ProblemTypes.ClinicNotServed), await GetAsync(client, "clinic-unknown"));

        await scope.Clinics().SetStatusAsync(TestScope.OtherClinic, ClinicStatus.Suspended, CancellationToken.None);
        await Eventually.ReturnsAsync(() => GetAsync(client, TestScope.OtherClinic), r => r.Status == HttpStatusCode.Forbidden, "the suspension to take effect at the service");
    }
}

using System.Net;
using System.Net.Http.Headers;
using Dental.Audit;
using Dental.IntegrationTests.Gateway;
using Dental.Testing;

namespace Dental.IntegrationTests.Audit;

/// <summary>The gateway's refusal counts: a flood of refused requests becomes one record per caller, status and minute.</summary>
public class RefusalAuditTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_flood_of_refusals_becomes_one_counted_record_per_caller_status_and_minute()
    {
        var prober = $"prober-{Guid.NewGuid():N}";
        var started = DateTimeOffset.UtcNow;
        var gateway = fixture.Create();
        var anonymous = gateway.CreateClient();
        var auditor = gateway.CreateClient();
        auditor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For("auditor", prober));
        var patient = Guid.NewGuid().ToString();
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/patients/{patient}/images")).StatusCode);
        }

        for (var i = 0; i < 15; i++)
        {
            // An auditor never gets image bytes.
            Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync($"/api/v1/patients/{patient}/images/{Guid.NewGuid()}/content")).StatusCode);
        }

        // What a service refuses passes the gateway and is counted there too (the echo backend answers 404 when asked to).
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync($"/api/v1/patients/{patient}/images?echoStatus=404")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/v1/patients/{patient}/images")).StatusCode);

        // Stopping writes the current minute's counts (a running gateway writes each minute once it is over).
        await gateway.DisposeAsync();
        var mine = (await fixture.Scope.AuditRecordsAsync())
            .Where(r => r.Action == AuditActions.Refused && r.Time >= started.AddMinutes(-1) && (r.Actor == prober || r.Actor is null))
            .ToList();
        var forbidden = mine.Where(r => r.Outcome == 403).ToList();
        Assert.Equal(15, forbidden.Sum(r => r.Count));
        Assert.InRange(forbidden.Count, 1, 2); // 2 only when the flood straddles a minute boundary
        Assert.All(forbidden, r => Assert.Equal((TestTokens.Clinic, "auditor", AuditActions.EventTypeOf[AuditActions.Refused]), (r.ClinicId, r.Role, r.EventType)));
        Assert.Equal(1, mine.Where(r => r.Outcome == 404 && r.Actor == prober).Sum(r => r.Count));
        var unauthorized = mine.Where(r => r.Outcome == 401).ToList();
        Assert.True(unauthorized.Sum(r => r.Count) >= 40, "every anonymous refusal is counted");
        Assert.InRange(unauthorized.Count, 1, 4);
        Assert.All(unauthorized, r => Assert.Null(r.ClinicId));
        Assert.DoesNotContain(mine, r => r.Outcome == 200);
        Assert.All(mine, r => Assert.Equal(0, r.Time.Second));
    }
}

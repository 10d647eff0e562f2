using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dental.Audit;
using Dental.Catalog.Api;
using Dental.IntegrationTests.Catalog;
using Dental.Testing;

namespace Dental.IntegrationTests.Audit;

/// <summary>The Catalog's records of what it answers, and the audit routes, in-process against Azurite and the Cosmos emulator.</summary>
public class AuditTrailTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private HttpClient As(string role, string subject, string clinic = TestTokens.Clinic)
    {
        var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(role, subject, clinic));
        return client;
    }

    private static async Task<AuditPage> AuditAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/audit?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AuditPage>(JsonSerializerOptions.Web))!;
    }

    [Fact]
    public async Task Every_action_on_patient_data_leaves_one_record_with_who_what_and_outcome_and_nothing_personal()
    {
        var patient = Guid.NewGuid().ToString();
        var image = await fixture.NewImageAsync(patient, "36", "xray", note: "suspected caries, mother anxious");
        await fixture.DeliverAsync(image);
        await fixture.DeliverAsync(await fixture.PreviewsForAsync(image));
        var clinician = As("clinician", $"dr-{Guid.NewGuid():N}");
        var admin = As("admin", $"admin-{Guid.NewGuid():N}");
        var imagePath = $"/api/v1/patients/{patient}/images/{image.ImageId}";
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToString();
        using (var traced = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/patients/{patient}/images"))
        {
            traced.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom()}-01");
            // As the gateway sends it (an in-process test server has no remote address of its own).
            traced.Headers.Add("X-Forwarded-For", "203.0.113.7");
            Assert.Equal(HttpStatusCode.OK, (await clinician.SendAsync(traced)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync(imagePath)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync($"/api/v1/patients/{patient}/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync($"{imagePath}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync($"{imagePath}/previews/small")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await clinician.DeleteAsync(imagePath)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinician.PostAsync($"{imagePath}/restore", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await clinician.GetAsync($"/api/v1/patients/{patient}/images?pageSize=0")).StatusCode);
        // A refusal is the gateway's to count: the service writes no record of it.
        Assert.Equal(HttpStatusCode.NotFound, (await clinician.GetAsync($"/api/v1/patients/{patient}/images/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await admin.DeleteAsync($"/api/v1/patients/{patient}")).StatusCode);

        var records = (await AuditAsync(As("auditor", "auditor-1"), $"patientId={patient}")).Items;
        var expected = new (string Action, int Outcome, string Actor)[]
        {
            (AuditActions.PatientErase, 202, "admin"),
            (AuditActions.ImagesList, 400, "dr"),
            (AuditActions.ImageRestore, 200, "dr"),
            (AuditActions.ImageDelete, 204, "dr"),
            (AuditActions.ImagePreview, 200, "dr"),
            (AuditActions.ImageContent, 200, "dr"),
            (AuditActions.ChartRead, 200, "dr"),
            (AuditActions.ImageRead, 200, "dr"),
            (AuditActions.ImagesList, 200, "dr"),
        };
        Assert.Equal(expected.Select(e => (e.Action, e.Outcome)), records.Select(r => (r.Action, r.Outcome)));
        Assert.All(records.Zip(expected), pair => Assert.StartsWith(pair.Second.Actor + "-", pair.First.Actor));
        Assert.All(records, r =>
        {
            Assert.Equal((TestTokens.Clinic, patient, 1), (r.ClinicId, r.PatientId, r.Count));
            Assert.Equal(AuditActions.EventTypeOf[r.Action], r.EventType);
            Assert.False(string.IsNullOrEmpty(r.TraceId));
            Assert.Equal("Dental.Catalog", r.Service);
        });
        Assert.Equal(("admin", "clinician"), (records[0].Role, records[^1].Role));
        Assert.Equal((traceId, "203.0.113.7"), (records[^1].TraceId, records[^1].ClientAddress));
        Assert.Equal([image.ImageId.ToString("D")], records.Single(r => r.Action == AuditActions.ImageContent).ImageIds);

        // What Azure keeps: ids, never the note, the file name or a token.
        var stored = string.Join('\n', await fixture.Scope.AuditLinesAsync());
        Assert.Contains(patient, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("caries", stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("scan.jpg", stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("eyJ", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_trail_is_the_callers_clinics_only_newest_first_and_paged_and_filters_by_actor_and_action()
    {
        var patient = Guid.NewGuid().ToString();
        var reader = As("clinician", $"reader-{Guid.NewGuid():N}");
        foreach (var _ in Enumerable.Range(0, 7))
        {
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/patients/{patient}/summary")).StatusCode);
        }

        // The same patient id in the other clinic is another patient, and its trail another trail.
        var stranger = As("clinician", $"stranger-{Guid.NewGuid():N}", TestScope.OtherClinic);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync($"/api/v1/patients/{patient}/images")).StatusCode);

        var auditor = As("auditor", "auditor-2");
        var pages = new List<AuditPage> { await AuditAsync(auditor, $"patientId={patient}&pageSize=3") };
        while (pages[^1].ContinuationToken is { } token)
        {
            pages.Add(await AuditAsync(auditor, $"patientId={patient}&pageSize=3&continuationToken={Uri.EscapeDataString(token)}"));
        }

        var all = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal(7, all.Count);
        Assert.Equal(3, pages[0].Items.Count);
        Assert.All(all, r => Assert.Equal((TestTokens.Clinic, AuditActions.ChartRead), (r.ClinicId, r.Action)));
        Assert.Equal(all.OrderByDescending(r => r.Time).ThenByDescending(r => r.Id, StringComparer.Ordinal).Select(r => r.Id), all.Select(r => r.Id));
        Assert.Equal(7, all.Select(r => r.Id).Distinct().Count());

        var theirs = (await AuditAsync(As("admin", "admin-b", TestScope.OtherClinic), $"patientId={patient}")).Items;
        Assert.Equal(AuditActions.ImagesList, Assert.Single(theirs).Action);
        Assert.Equal(TestScope.OtherClinic, theirs[0].ClinicId);

        var byActor = (await AuditAsync(auditor, $"actor={Uri.EscapeDataString(all[0].Actor!)}&action={AuditActions.ChartRead}")).Items;
        Assert.Equal(7, byActor.Count);
        Assert.Empty((await AuditAsync(auditor, $"actor={Uri.EscapeDataString(all[0].Actor!)}&action={AuditActions.ImageContent}")).Items);
        // Reading the trail is on the record too.
        Assert.Contains((await AuditAsync(auditor, $"action={AuditActions.AuditRead}&actor=auditor-2")).Items, r => r.PatientId == patient);
    }

    [Fact]
    public async Task A_patients_access_report_says_who_saw_which_images_and_when()
    {
        var patient = Guid.NewGuid().ToString();
        var image = await fixture.NewImageAsync(patient, "11", "intraoral");
        await fixture.DeliverAsync(image);
        var first = $"dr-{Guid.NewGuid():N}";
        var second = $"hygienist-{Guid.NewGuid():N}";
        var path = $"/api/v1/patients/{patient}/images/{image.ImageId}";
        Assert.Equal(HttpStatusCode.OK, (await As("clinician", first).GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await As("clinician", first).GetAsync($"{path}/content")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await As("clinician", second).GetAsync($"/api/v1/patients/{patient}/images")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await As("clinician", second).DeleteAsync(path)).StatusCode);

        var response = await As("admin", "admin-1").GetAsync($"/api/v1/patients/{patient}/access-report");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<AccessReport>(JsonSerializerOptions.Web))!;
        Assert.Equal([second, first], report.Accesses.Select(a => a.Actor));
        var firstAccess = report.Accesses[1];
        Assert.Equal((2, 1, 1), (firstAccess.Count, firstAccess.Actions[AuditActions.ImageRead], firstAccess.Actions[AuditActions.ImageContent]));
        Assert.Equal([image.ImageId.ToString("D")], firstAccess.ImageIds);
        // A delete is not a view.
        Assert.Equal(new Dictionary<string, int> { [AuditActions.ImagesList] = 1 }, report.Accesses[0].Actions);

        var other = await As("admin", "admin-b", TestScope.OtherClinic).GetFromJsonAsync<AccessReport>($"/api/v1/patients/{patient}/access-report", JsonSerializerOptions.Web);
        Assert.Empty(other!.Accesses);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("action=image.burn", "action")]
    [InlineData("patientId=not%20a%20patient", "patientId")]
    [InlineData("continuationToken=bm90LWEtdG9rZW4", "continuationToken")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    public async Task A_bad_audit_query_gets_a_problem_naming_the_field(string query, string field)
    {
        var response = await As("auditor", "auditor-3").GetAsync($"/api/v1/audit?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }
}

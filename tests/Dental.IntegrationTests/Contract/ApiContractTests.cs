using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Dental.Client;
using Dental.IntegrationTests.EndToEnd;
using Dental.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.Configuration;

namespace Dental.IntegrationTests.Contract;

/// <summary>The public OpenAPI document as an integrator meets it: served by the running gateway, checked by third-party tools.</summary>
public class ApiContractTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    private async Task<(JsonObject Document, string File)> ServedDocumentAsync()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Platform.GatewayAddress };
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var file = Path.Combine(Path.GetTempPath(), $"dental-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, text);
        return (JsonNode.Parse(text)!.AsObject(), file);
    }

    [Fact]
    public async Task The_document_is_served_without_a_token_and_passes_redocly_recommended_rules_with_no_error()
    {
        var (document, file) = await ServedDocumentAsync();

        Assert.StartsWith("3.1", (string?)document["openapi"], StringComparison.Ordinal);
        var redocly = Path.Combine(RepositoryPaths.Web, "node_modules", ".bin", "redocly");
        var (exitCode, output, errors) = await CommandLine.RunAsync(
            redocly, ["lint", file, "--config", Path.Combine(RepositoryPaths.Root, "redocly.yaml"), "--format=json"], RepositoryPaths.Root);
        Assert.True(exitCode == 0, output + errors);
        var totals = JsonNode.Parse(output)!["totals"]!;
        Assert.Equal((0, 0), ((int)totals["errors"]!, (int)totals["warnings"]!));
    }

    [Fact]
    public async Task The_document_lists_every_route_the_gateway_serves_and_nothing_else()
    {
        var (document, _) = await ServedDocumentAsync();
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(o => Methods.Contains(o.Key)).Select(o => (Method: o.Key.ToUpperInvariant(), Path: path.Key)))
            .ToList();
        var routes = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepositoryPaths.Root, "services", "Gateway", "appsettings.json")).Build()
            .GetSection("ReverseProxy:Routes").GetChildren()
            .Select(r => (Name: r.Key, Methods: r.GetSection("Match:Methods").Get<string[]>() ?? [], Template: TemplateParser.Parse(r["Match:Path"]!)))
            .ToList();

        // Every documented operation reaches a backend through some route …
        foreach (var (method, path) in operations)
        {
            var sample = Sample(path);
            Assert.True(routes.Any(r => r.Methods.Contains(method) && Matches(r.Template, sample)), $"{method} {path} is documented but no gateway route serves it");
        }

        // … every route serves at least one documented operation …
        foreach (var route in routes)
        {
            Assert.True(operations.Any(o => route.Methods.Contains(o.Method) && Matches(route.Template, Sample(o.Path))), $"route {route.Name} serves nothing the document describes");
        }

        // … and each documented operation exists behind the gateway (an unknown route is a bare 404 or 405, never a problem detail).
        var admin = fixture.Platform.Client("admin");
        foreach (var (method, path) in operations)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Sample(path));
            var response = await admin.SendAsync(request);
            Assert.NotEqual(HttpStatusCode.MethodNotAllowed, response.StatusCode);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task The_reference_page_is_served_without_a_token_with_its_own_script()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Platform.GatewayAddress };

        var page = await anonymous.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(html.Contains("openapi", StringComparison.Ordinal) && html.Contains("v1.json", StringComparison.Ordinal), html);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var script = await anonymous.GetAsync("/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task The_checked_in_document_and_the_clients_generated_from_it_match_what_the_gateway_serves()
    {
        var (served, file) = await ServedDocumentAsync();
        var hint = $"The API changed: run scripts/generate-api-clients.sh {file} and commit api/, web/src/api/schema.d.ts and libs/Dental.Client/Generated.";
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "api", "openapi.json")));
        Assert.True(JsonNode.DeepEquals(served, checkedIn), hint);

        var output = Directory.CreateTempSubdirectory("dental-clients-").FullName;
        var (exitCode, stdout, errors) = await CommandLine.RunAsync("bash",
            [Path.Combine(RepositoryPaths.Root, "scripts", "generate-api-clients.sh"), file, Path.Combine(output, "schema.d.ts"), Path.Combine(output, "Generated")],
            RepositoryPaths.Root, TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, stdout + errors);
        Assert.True(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Web, "src", "api", "schema.d.ts")) == await File.ReadAllTextAsync(Path.Combine(output, "schema.d.ts")), hint);
        var generated = Path.Combine(output, "Generated");
        var committed = Path.Combine(RepositoryPaths.Root, "libs", "Dental.Client", "Generated");
        static List<string> Files(string root) => Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Files(generated), Files(committed));
        foreach (var name in Files(generated))
        {
            Assert.True(await File.ReadAllTextAsync(Path.Combine(generated, name)) == await File.ReadAllTextAsync(Path.Combine(committed, name)), $"{name} differs. {hint}");
        }

        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public async Task The_generated_client_uploads_lists_reads_downloads_and_deletes()
    {
        using var api = DentalApi.Connect(fixture.Platform.GatewayAddress, _ => Task.FromResult(TestTokens.For("clinician", "dr-kiota")));
        var patient = Guid.NewGuid().ToString();
        var photo = JpegFixtures.Encode(TestImages.Png(640, 480), 640);

        var uploaded = await api.UploadAsync(patient, new ImageUpload("21", "clinical") { Note = "via the generated client" }, [new UploadFile(new MemoryStream(photo), "front.jpg", "image/jpeg")]);
        var image = Assert.Single(uploaded.Items!);
        Assert.Equal((Dental.Client.Models.ImageResource_type.Clinical, "21"), (image.Type, image.Tooth));

        var images = api.Client.Api.V1.Patients[patient].Images;
        // Catalogued asynchronously: 404 until its event is handled, then processing, then ready.
        var ready = await Eventually.ReturnsAsync(async () =>
        {
            try
            {
                return await images[image.Id!.Value].GetAsync();
            }
            catch (Dental.Client.Models.ProblemDetails problem) when (problem.ResponseStatusCode == 404)
            {
                return null;
            }
        }, i => i?.Status == Dental.Client.Models.ImageResource_status.Ready, "the image to be ready");
        Assert.Equal("via the generated client", ready!.Note);
        Assert.Equal(image.Id, Assert.Single((await images.GetAsync())!.Items!).Id);
        await using (var preview = await images[image.Id!.Value].Previews["small"].GetAsync())
        {
            Assert.Equal(0xFF, preview!.ReadByte());
        }

        await using (var content = await images[image.Id!.Value].Content.GetAsync())
        {
            using var copy = new MemoryStream();
            await content!.CopyToAsync(copy);
            Assert.Equal(photo, copy.ToArray());
        }

        await images[image.Id!.Value].DeleteAsync();
        Assert.Empty((await images.GetAsync())!.Items!);
        var missing = await Assert.ThrowsAsync<Dental.Client.Models.ProblemDetails>(() => images[Guid.NewGuid()].GetAsync());
        Assert.Equal(404, missing.ResponseStatusCode);
    }

    private static string Sample(string path) => path
        .Replace("{patientId}", "contract-patient", StringComparison.Ordinal)
        .Replace("{imageId}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{size}", "small", StringComparison.Ordinal);

    private static bool Matches(RouteTemplate template, string path) =>
        new TemplateMatcher(template, new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary());
}

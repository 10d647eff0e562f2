using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Dental.Testing;

/// <summary>
/// A stand-in backend for gateway tests: answers every request with what it received (method, path,
/// body length counted while streaming, forwarded headers), plus ready health and a tiny OpenAPI document.
/// </summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    public EchoBackend(string name)
    {
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/health/ready", () => Results.Ok());
        // Like the services' own documents: anonymous, one path, one schema it refers to.
        _app.MapGet("/openapi/v1.json", () => Results.Json(new Dictionary<string, object>
        {
            ["openapi"] = "3.1.1",
            ["paths"] = new Dictionary<string, object> { [$"/api/v1/{name}"] = new { get = new { responses = new Dictionary<string, object> { ["200"] = new Dictionary<string, object> { ["$ref"] = $"#/components/schemas/{name}Thing" } } } } },
            ["components"] = new { schemas = new Dictionary<string, object> { [$"{name}Thing"] = new { } } },
        }));
        _app.Map("/{**path}", async (HttpContext context) =>
        {
            long received = 0;
            var buffer = new byte[81920];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                received += read;
            }

            // A test asks for a backend's refusal (a 404 of a patient another clinic holds) with ?echoStatus=404.
            var status = int.TryParse(context.Request.Query["echoStatus"], out var asked) ? asked : StatusCodes.Status200OK;
            return Results.Json(statusCode: status, data: new Echo(
                name,
                context.Request.Method,
                context.Request.Path,
                received,
                context.Request.Headers["X-Request-Id"].ToString(),
                context.Request.Headers["traceparent"].ToString(),
                context.Request.Headers.Authorization.Count > 0));
        });
    }

    public int Port { get; }

    public string Address => $"http://127.0.0.1:{Port}";

    public Task StartAsync() => _app.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Echo(string Backend, string Method, string Path, long BodyBytes, string RequestId, string TraceParent, bool HadAuthorization)
    {
        public static Echo? From(string json) => JsonSerializer.Deserialize<Echo>(json, JsonSerializerOptions.Web);
    }
}

using Dental.ServiceDefaults;
using Dental.ServiceDefaults.Auth;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Dental.Gateway;

/// <summary>
/// Serves the web client's static files and its sign-in settings. Both are anonymous (the page must load
/// before anyone can sign in) and carry no patient data; every API route still requires a token.
/// </summary>
internal static partial class WebClient
{
    public const string ConfigPath = "/app-config.json";

    public static IServiceCollection AddWebClient(this IServiceCollection services)
    {
        services.AddValidatedOptions<WebClientOptions>(WebClientOptions.Section);
        return services;
    }

    /// <summary>Runs before authentication so the files need no token.</summary>
    public static WebApplication UseWebClient(this WebApplication app)
    {
        var root = System.IO.Path.GetFullPath(app.Services.GetRequiredService<IOptions<WebClientOptions>>().Value.Path, app.Environment.ContentRootPath);
        if (!File.Exists(System.IO.Path.Combine(root, "index.html")))
        {
            LogNotBuilt(app.Logger, root);
            return app;
        }

        var files = new PhysicalFileProvider(root);
        var policy = ContentSecurityPolicy(app.Services.GetRequiredService<IOptions<AuthOptions>>().Value, app.Services.GetRequiredService<IOptions<WebClientOptions>>().Value);
        // API calls, which are nearly all the traffic, never look for a file.
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase), web =>
        {
            web.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            web.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                OnPrepareResponse = context =>
                {
                    var headers = context.Context.Response.Headers;
                    headers.ContentSecurityPolicy = policy;
                    // Bundles under assets/ carry a content hash in their names; index.html must be checked every time.
                    headers.CacheControl = context.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal)
                        ? "public, max-age=31536000, immutable"
                        : "no-cache";
                },
            });
        });
        return app;
    }

    public static WebApplication MapWebClientConfig(this WebApplication app)
    {
        app.MapGet(ConfigPath, (IOptions<WebClientOptions> web, IOptions<AuthOptions> auth, IHostEnvironment environment, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            if (environment.IsDevelopment())
            {
                return Results.Ok(new { auth = new { mode = "development", roles = Roles.All } });
            }

            if (string.IsNullOrWhiteSpace(auth.Value.Authority) || string.IsNullOrWhiteSpace(web.Value.ClientId))
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Web sign-in is not configured",
                    detail: "Set Auth:Authority and WebClient:ClientId.");
            }

            return Results.Ok(new { auth = new { mode = "oidc", authority = auth.Value.Authority, clientId = web.Value.ClientId, scope = web.Value.Scope } });
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Scripts and styles from the gateway only, images from fetched blobs, API calls to the gateway, the sign-in authority and the content links' origin.</summary>
    internal static string ContentSecurityPolicy(AuthOptions auth, WebClientOptions web)
    {
        var origins = web.ContentOrigins.Prepend(auth.Authority)
            .Select(o => Uri.TryCreate(o, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null)
            .OfType<string>()
            .Distinct();
        var connect = string.Join(' ', origins.Prepend("'self'"));
        return $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src {connect}; " +
               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No web client at {Root} (build it with npm run build in web/); the gateway serves the API only.")]
    private static partial void LogNotBuilt(ILogger logger, string root);
}

using Scalar.AspNetCore;

namespace Dental.Gateway;

/// <summary>The API reference page (Scalar) at /docs: the merged document, with "try it" calls that send a bearer token.</summary>
internal static class ApiReference
{
    public const string Path = "/docs";

    // Scalar's page runs its bundled script and styles inline, and calls the API from the page: the data-only policy would stop it.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapGet(PublicOpenApi.Path, PublicOpenApi.GetAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapScalarApiReference(Path, options =>
            {
                options.Title = "Dental image platform API";
                options.OpenApiRoutePattern = PublicOpenApi.Path;
                options.DefaultFonts = false;
                options.Telemetry = false;
                options.AddPreferredSecuritySchemes("bearer");
            })
            .AllowAnonymous()
            .Add(endpoint => endpoint.Metadata.Add(new ContentSecurityPolicyMetadata(ContentSecurityPolicy)));
        return app;
    }
}

/// <summary>An endpoint's own Content-Security-Policy, applied by <see cref="SecurityHeadersMiddleware"/>.</summary>
internal sealed record ContentSecurityPolicyMetadata(string Policy);

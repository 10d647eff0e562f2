namespace Dental.Gateway;

/// <summary>The browser client the gateway serves at <c>/</c> (web/ in the repository, built to static files).</summary>
public sealed class WebClientOptions
{
    public const string Section = "WebClient";

    /// <summary>Folder with the built web client (index.html and assets/); relative paths start at the content root.</summary>
    public string Path { get; set; } = "wwwroot";

    /// <summary>The web client's application (client) id at the OpenID Connect authority (Auth:Authority); not used in Development.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Where image content links lead (the storage account's blob endpoint when Catalog:ContentSasMinutes is on):
    /// the browser follows the content route's redirect there, so the policy must let it connect.
    /// </summary>
    public string[] ContentOrigins { get; set; } = [];

    /// <summary>Scopes the web client asks for: sign-in plus a token for this API.</summary>
    public string Scope { get; set; } = "openid profile api://dental/.default";
}

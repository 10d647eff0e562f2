using System.Text;
using Dental.Contracts.Api;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dental.ServiceDefaults.OpenApi;

/// <summary>The document as a whole: what the API is, how to sign in, its tags, and what each problem type means.</summary>
internal sealed class ContractDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SecurityScheme = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Dental image platform",
            Version = "v1",
            Description = Description(),
            License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://dental.example/terms") },
            Contact = new OpenApiContact { Name = "Platform team", Url = new Uri("https://dental.example/support") },
        };
        document.Servers = [new OpenApiServer { Url = "/", Description = "The gateway this document was served by." }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [SecurityScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A Microsoft Entra ID access token for the platform's API, carrying app roles in the `roles` claim (admin, clinician, service, auditor). Locally, `POST /dev/token` issues one.",
            },
        };
        document.Tags = new HashSet<OpenApiTag>(ApiTags.Descriptions.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        return Task.CompletedTask;
    }

    private static string Description()
    {
        var text = new StringBuilder()
            .AppendLine("Store, find and show a clinic's intraoral photos and X-rays per patient, tooth and image type.")
            .AppendLine()
            .AppendLine("Every error is an RFC 9457 problem detail (`application/problem+json`) with a `traceId`; its `type` is one of:")
            .AppendLine()
            .AppendLine("| type | meaning |")
            .AppendLine("|---|---|");
        foreach (var (type, meaning) in ProblemTypes.Meanings)
        {
            text.Append("| `").Append(type).Append("` | ").Append(meaning).AppendLine(" |");
        }

        return text.ToString();
    }
}

using System.Text.Json.Nodes;
using Dental.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dental.ServiceDefaults.OpenApi;

/// <summary>
/// What the endpoint metadata says beyond its body types: who may call it (the bearer scheme, one requirement per
/// role that may), the answers every protected call can get (401, 403, 429), and the headers and parameter values
/// the endpoint declares.
/// </summary>
internal sealed class ContractOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            AddSecurity(operation, context, metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>());
        }

        foreach (var header in metadata.OfType<RequestHeaderMetadata>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.Name,
                In = ParameterLocation.Header,
                Required = header.Required,
                Description = header.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }

        foreach (var header in metadata.OfType<ResponseHeaderMetadata>())
        {
            if (operation.Responses?.GetValueOrDefault(header.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)) is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers[header.Name] = new OpenApiHeader { Description = header.Description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }
        }

        // Files are bytes: inline "string/binary" (a reference to a "Stream" schema reads as a model to client generators).
        foreach (var media in (operation.Responses ?? []).Values.SelectMany(r => r.Content?.Values ?? []).Where(m => m.Schema is OpenApiSchemaReference { Reference.Id: "Stream" }))
        {
            media.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        }

        foreach (var values in metadata.OfType<ParameterValuesMetadata>())
        {
            if (operation.Parameters?.FirstOrDefault(p => p.Name == values.Parameter) is OpenApiParameter { Schema: OpenApiSchema schema })
            {
                schema.Enum = values.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
            }
        }

        return Task.CompletedTask;
    }

    private static void AddSecurity(OpenApiOperation operation, OpenApiOperationTransformerContext context, IEnumerable<string> policies)
    {
        var roles = policies.SelectMany(p => Policies.RolesOf.GetValueOrDefault(p) ?? []).Distinct().ToList();
        var scheme = new OpenApiSecuritySchemeReference(ContractDocumentTransformer.SecurityScheme, context.Document);
        // OpenAPI 3.1: for an http scheme the list holds role names; separate requirements are alternatives (any one role).
        operation.Security = roles.Count == 0
            ? [new OpenApiSecurityRequirement { [scheme] = [] }]
            : roles.Select(role => new OpenApiSecurityRequirement { [scheme] = [role] }).ToList();
        if (roles.Count > 0)
        {
            operation.Description = $"{operation.Description}\n\nRoles: {string.Join(", ", roles)}, inside the clinic the token names.".Trim();
        }

        operation.Responses ??= [];
        AddProblem(operation, StatusCodes.Status401Unauthorized, "No valid bearer token.");
        AddProblem(operation, StatusCodes.Status403Forbidden, "The token names no clinic (no-clinic), or its roles do not allow this.");
        AddProblem(operation, StatusCodes.Status429TooManyRequests, "The caller's rate limit is exhausted; retry after Retry-After.", "Retry-After");
    }

    private static void AddProblem(OpenApiOperation operation, int status, string description, string? header = null)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        var response = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails") },
            },
        };
        if (header is not null)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader> { [header] = new OpenApiHeader { Description = "Seconds to wait.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } } };
        }

        operation.Responses[key] = response;
    }
}

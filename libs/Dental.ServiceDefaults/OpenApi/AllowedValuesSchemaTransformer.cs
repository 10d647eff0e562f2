using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Dental.ServiceDefaults.OpenApi;

/// <summary>A property marked [AllowedValues] is an enum in the document (status, type, notation …).</summary>
internal sealed class AllowedValuesSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var provider = context.JsonPropertyInfo?.AttributeProvider as ICustomAttributeProvider;
        if (provider?.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: true).OfType<AllowedValuesAttribute>().FirstOrDefault() is { } allowed)
        {
            // A null among the allowed values stays a JSON null in the enum (the property is nullable).
            schema.Enum = allowed.Values.Select(v => v is null ? null! : (JsonNode)JsonValue.Create(v.ToString())!).ToList();
        }

        return Task.CompletedTask;
    }
}

using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dental.ServiceDefaults.OpenApi;

public static class OpenApiExtensions
{
    /// <summary>The service's OpenAPI 3.1 document, as integrators read it: roles, problems, headers, enums, integers as integers.</summary>
    public static IServiceCollection AddContractOpenApi(this IServiceCollection services)
    {
        // Numbers are numbers on the wire; the web defaults' "or a string" would make every integer "integer | string".
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        return services.AddOpenApi(options =>
        {
            options.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer<ContractDocumentTransformer>();
            options.AddOperationTransformer<ContractOperationTransformer>();
            options.AddSchemaTransformer<AllowedValuesSchemaTransformer>();
        });
    }

    /// <summary>/openapi/v1.json, anonymous: it holds no patient data.</summary>
    public static IEndpointConventionBuilder MapContractOpenApi(this IEndpointRouteBuilder app) => app.MapOpenApi().AllowAnonymous();
}

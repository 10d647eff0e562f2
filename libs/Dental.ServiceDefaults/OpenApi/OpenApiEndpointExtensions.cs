using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dental.ServiceDefaults.OpenApi;

public static class OpenApiEndpointExtensions
{
    public static TBuilder WithRequestHeader<TBuilder>(this TBuilder builder, string name, string description, bool required = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestHeaderMetadata(name, description, required));

    public static TBuilder WithResponseHeader<TBuilder>(this TBuilder builder, int statusCode, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ResponseHeaderMetadata(statusCode, name, description));

    public static TBuilder WithParameterValues<TBuilder>(this TBuilder builder, string parameter, IReadOnlyList<string> values)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ParameterValuesMetadata(parameter, values));

    /// <summary>Problem-detail responses (application/problem+json) for each status.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var status in statusCodes)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}

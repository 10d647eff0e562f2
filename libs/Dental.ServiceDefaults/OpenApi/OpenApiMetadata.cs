namespace Dental.ServiceDefaults.OpenApi;

/// <summary>A request header an endpoint reads, for its OpenAPI operation.</summary>
public sealed record RequestHeaderMetadata(string Name, string Description, bool Required = false);

/// <summary>A header an endpoint sets on responses with <see cref="StatusCode"/>, for its OpenAPI operation.</summary>
public sealed record ResponseHeaderMetadata(int StatusCode, string Name, string Description);

/// <summary>The values a route or query parameter accepts, for its OpenAPI schema.</summary>
public sealed record ParameterValuesMetadata(string Parameter, IReadOnlyList<string> Values);

using System.Text.Json.Nodes;
using Yarp.ReverseProxy;

namespace Dental.Gateway;

/// <summary>
/// One OpenAPI document for the whole public API: the backends' own documents (each generated from its endpoints
/// by the shared contract transformers, so their info, servers and security scheme agree), merged into one with
/// paths and schemas in a stable order. Served anonymously: it holds no patient data.
/// </summary>
internal static class PublicOpenApi
{
    public const string HttpClientName = "openapi";
    public const string Path = "/openapi/v1.json";

    public static async Task<IResult> GetAsync(IProxyStateLookup proxy, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(HttpClientName);
        JsonObject? merged = null;
        foreach (var cluster in proxy.GetClusters().OrderBy(c => c.ClusterId, StringComparer.Ordinal))
        {
            var address = cluster.Destinations.Values.FirstOrDefault()?.Model.Config.Address;
            if (address is null)
            {
                continue;
            }

            using var response = await http.GetAsync(new Uri(new Uri(address), Path), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Backend document unavailable", detail: $"The {cluster.ClusterId} service did not return its OpenAPI document.");
            }

            var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            merged = merged is null ? document : Merge(merged, document);
        }

        if (merged is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "No backend documents");
        }

        merged["paths"] = Sorted(merged["paths"]!.AsObject());
        merged["components"]!["schemas"] = Sorted(WithoutUnreferenced(merged));
        return Results.Text(merged.ToJsonString(), "application/json");
    }

    /// <summary>Adds the other document's paths (their operations) and schemas; the first document's info, servers, tags and security scheme stand.</summary>
    private static JsonObject Merge(JsonObject into, JsonObject other)
    {
        MergeObjects(other["paths"]?.AsObject(), into["paths"]!.AsObject());
        MergeObjects(other["components"]?["schemas"]?.AsObject(), into["components"]!["schemas"]!.AsObject());
        return into;
    }

    private static void MergeObjects(JsonObject? source, JsonObject target)
    {
        foreach (var (name, value) in source ?? [])
        {
            if (target[name] is JsonObject existing && value is JsonObject more)
            {
                foreach (var (key, item) in more)
                {
                    existing[key] ??= item?.DeepClone();
                }
            }
            else
            {
                target[name] ??= value?.DeepClone();
            }
        }
    }

    /// <summary>The schemas something refers to (the generator registers some, such as "Stream", that the transformers inline).</summary>
    private static JsonObject WithoutUnreferenced(JsonObject document)
    {
        var schemas = document["components"]!["schemas"]!.AsObject();
        var text = document.ToJsonString();
        foreach (var name in schemas.Select(s => s.Key).ToList())
        {
            if (!text.Contains($"\"#/components/schemas/{name}\"", StringComparison.Ordinal))
            {
                schemas.Remove(name);
            }
        }

        return schemas;
    }

    private static JsonObject Sorted(JsonObject source) =>
        new(source.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
}

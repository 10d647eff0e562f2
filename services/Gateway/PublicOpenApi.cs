using System.Text.Json.Nodes;
using Yarp.ReverseProxy;

namespace Dental.Gateway;

/// <summary>
/// One OpenAPI document for the whole public API: the backends' own documents (each generated from its
/// endpoints), merged path by path. Fetched with the caller's token, since every document is protected.
/// </summary>
internal static class PublicOpenApi
{
    public const string HttpClientName = "openapi";

    public static async Task<IResult> GetAsync(HttpContext context, IProxyStateLookup proxy, IHttpClientFactory clients, CancellationToken cancellationToken)
    {
        var http = clients.CreateClient(HttpClientName);
        var merged = new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject { ["title"] = "Dental image platform", ["version"] = "v1" },
            ["paths"] = new JsonObject(),
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
        foreach (var cluster in proxy.GetClusters())
        {
            var address = cluster.Destinations.Values.FirstOrDefault()?.Model.Config.Address;
            if (address is null)
            {
                continue;
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(address), "/openapi/v1.json"));
            request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Backend document unavailable", detail: $"The {cluster.ClusterId} service did not return its OpenAPI document.");
            }

            var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            Merge(document["paths"]?.AsObject(), merged["paths"]!.AsObject());
            Merge(document["components"]?["schemas"]?.AsObject(), merged["components"]!["schemas"]!.AsObject());
        }

        return Results.Text(merged.ToJsonString(), "application/json");
    }

    private static void Merge(JsonObject? source, JsonObject target)
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
}

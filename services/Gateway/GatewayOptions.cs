using System.ComponentModel.DataAnnotations;

namespace Dental.Gateway;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>
    /// Networks (CIDR) of the reverse proxy in front of the gateway (Azure Container Apps' ingress) whose
    /// X-Forwarded-For is believed; empty: the connection's own address is the client's.
    /// </summary>
    [CustomValidation(typeof(GatewayOptions), nameof(ValidateNetworks))]
    public string[] TrustedProxyNetworks { get; set; } = [];

    /// <summary>Web client origins allowed by CORS.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Requests a user may make per window before 429.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerWindow { get; set; } = 600;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Body limit on upload routes (several 50 MB files per request).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadRequestBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Body limit on every other route.</summary>
    [Range(1, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 64 * 1024;

    public static ValidationResult? ValidateNetworks(string[] networks) =>
        networks.All(n => System.Net.IPNetwork.TryParse(n, out _))
            ? ValidationResult.Success
            : new ValidationResult("Gateway:TrustedProxyNetworks must be CIDR networks such as 10.0.0.0/8.");
}

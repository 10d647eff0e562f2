namespace Dental.AppHost;

/// <summary>
/// Ports and folders of the local stack. Override any of them on the command line
/// (<c>--GatewayPort 6100</c>) or with environment variables (<c>DENTAL_GatewayPort=6100</c>).
/// </summary>
public sealed class AppHostOptions
{
    public int GatewayPort { get; set; } = 5100;
    public int UploadPort { get; set; } = 5101;
    public int ThumbnailerPort { get; set; } = 5102;
    public int CatalogPort { get; set; } = 5103;
    public int BlobPort { get; set; } = 10000;
    public int QueuePort { get; set; } = 10001;
    public int CosmosPort { get; set; } = 8081;
    public int DashboardPort { get; set; } = 18888;
    public int OtlpGrpcPort { get; set; } = 18889;
    public int OtlpHttpPort { get; set; } = 18890;

    /// <summary>Everything the emulators keep between runs; relative to the repository root.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Start without the Aspire dashboard (saves about 300 MB of disk on a first run).</summary>
    public bool NoDashboard { get; set; }

    /// <summary>Delete the data folder before starting.</summary>
    public bool Reset { get; set; }
}

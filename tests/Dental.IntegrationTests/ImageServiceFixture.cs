using Azure.Storage.Blobs;
using Dental.Testing;

namespace Dental.IntegrationTests;

/// <summary>One service in-process for a test class, with its own scope and both image containers at hand.</summary>
public abstract class ImageServiceFixture<TMarker> : IAsyncLifetime
    where TMarker : class
{
    public TestScope Scope { get; private set; } = null!;

    public ServiceFactory<TMarker> Factory { get; private set; } = null!;

    public BlobContainerClient Originals { get; private set; } = null!;

    public BlobContainerClient Previews { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Scope = await TestScope.CreateAsync();
        var settings = Scope.ServiceSettings();
        Configure(settings);
        Factory = new ServiceFactory<TMarker>(settings);
        var blobs = new BlobServiceClient(Scope.StorageConnectionString);
        Originals = blobs.GetBlobContainerClient(Scope.OriginalsContainer);
        Previews = blobs.GetBlobContainerClient(Scope.PreviewsContainer);
        await Originals.CreateIfNotExistsAsync();
        await Previews.CreateIfNotExistsAsync();
    }

    /// <summary>Adjusts the service's settings before it starts.</summary>
    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

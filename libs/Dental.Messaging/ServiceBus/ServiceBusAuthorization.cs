using Azure.Core;

namespace Dental.Messaging.ServiceBus;

/// <summary>The Authorization header for Service Bus calls: a Microsoft Entra token (cached, refreshed early) or a SAS.</summary>
internal sealed class ServiceBusAuthorization(ServiceBusSettings settings, TokenCredential credential, TimeProvider time) : IDisposable
{
    private static readonly TokenRequestContext Scope = new(["https://servicebus.azure.net/.default"]);
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Header, DateTimeOffset ExpiresAt) _cached;

    public async ValueTask<string> HeaderAsync(CancellationToken cancellationToken)
    {
        if (_cached.Header is not null && _cached.ExpiresAt - RefreshMargin > time.GetUtcNow())
        {
            return _cached.Header;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_cached.Header is null || _cached.ExpiresAt - RefreshMargin <= time.GetUtcNow())
            {
                _cached = await CreateAsync(cancellationToken);
            }

            return _cached.Header;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<(string, DateTimeOffset)> CreateAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(settings.SasKeyName) && !string.IsNullOrEmpty(settings.SasKey))
        {
            var expiresAt = time.GetUtcNow().AddHours(1);
            return (ServiceBusSasToken.Create(settings.Endpoint!.ToString(), settings.SasKeyName, settings.SasKey, expiresAt), expiresAt);
        }

        var token = await credential.GetTokenAsync(Scope, cancellationToken);
        return ("Bearer " + token.Token, token.ExpiresOn);
    }
}

using Dental.Messaging.ServiceBus;

namespace Dental.UnitTests;

public class ServiceBusSasTokenTests
{
    [Fact]
    public void Matches_an_independently_computed_signature()
    {
        // Expected value computed with Python's hmac/hashlib/urllib over the documented recipe:
        // sig = base64(HMAC-SHA256(key, urlencode(uri) + "\n" + expiry)), every part URL-encoded.
        var token = ServiceBusSasToken.Create(
            "https://contoso.servicebus.windows.net/images",
            "RootManageSharedAccessKey",
            "Zm9vYmFyLWtleQ==",
            DateTimeOffset.FromUnixTimeSeconds(1767225600));

        Assert.Equal(
            "SharedAccessSignature sr=https%3A%2F%2Fcontoso.servicebus.windows.net%2Fimages&sig=XwDqJmboZ3ZScw2CB4uTMTFRY6J0RY2UEDpSGnKKqoM%3D&se=1767225600&skn=RootManageSharedAccessKey",
            token);
    }
}

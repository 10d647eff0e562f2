using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Dental.Messaging.ServiceBus;

/// <summary>
/// A Service Bus shared access signature, as documented: HMAC-SHA256 with the key over the URL-encoded
/// resource URI, a newline and the expiry (Unix seconds); every part URL-encoded in the token.
/// </summary>
public static class ServiceBusSasToken
{
    public static string Create(string resourceUri, string keyName, string key, DateTimeOffset expiresAt)
    {
        var encodedUri = WebUtility.UrlEncode(resourceUri);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(encodedUri + "\n" + expiry)));
        return $"SharedAccessSignature sr={encodedUri}&sig={WebUtility.UrlEncode(signature)}&se={expiry}&skn={WebUtility.UrlEncode(keyName)}";
    }
}

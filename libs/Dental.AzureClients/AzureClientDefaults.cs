using Azure.Core;

namespace Dental.AzureClients;

public static class AzureClientDefaults
{
    /// <summary>
    /// Retries fit for requests a person is waiting on: a few quick attempts (about 3 s in all), not the
    /// SDK default of five with exponential delays (about 25 s) before a caller hears of an outage.
    /// </summary>
    public static T Configure<T>(T options)
        where T : ClientOptions
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }
}

using Polly;

namespace Dental.ServiceDefaults.Resilience;

/// <summary>Sends every request of an HttpClient through a named pipeline; a transient answer (5xx, 408, 429) counts as a failure to retry.</summary>
public sealed class ResilientHttpHandler(ResiliencePipeline pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        await pipeline.ExecuteAsync(
            async ct =>
            {
                var response = await base.SendAsync(request, ct);
                if (TransientFaults.IsTransientStatus((int)response.StatusCode))
                {
                    response.Dispose();
                    throw new HttpRequestException($"{(int)response.StatusCode} from {request.RequestUri?.Host}", null, response.StatusCode);
                }

                return response;
            },
            cancellationToken);
}

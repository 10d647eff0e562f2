using System.Net;
using Dental.ServiceDefaults.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Polly.Registry;

namespace Dental.UnitTests;

public class ResilientHttpHandlerTests
{
    private sealed class Scripted(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(answers[Math.Min(Calls++, answers.Length - 1)]));
    }

    private static (HttpClient Client, Scripted Inner) Client(params HttpStatusCode[] answers)
    {
        var pipelines = new ServiceCollection().AddDentalResilience().BuildServiceProvider().GetRequiredService<ResiliencePipelineProvider<string>>();
        var inner = new Scripted(answers);
        return (new HttpClient(new ResilientHttpHandler(pipelines.GetPipeline(ResilienceExtensions.Http)) { InnerHandler = inner }), inner);
    }

    [Fact]
    public async Task Transient_answers_are_retried_until_one_succeeds()
    {
        var (client, inner) = Client(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.OK);

        var response = await client.GetAsync(new Uri("http://backend.invalid/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task A_client_error_is_answered_at_once()
    {
        var (client, inner) = Client(HttpStatusCode.NotFound);

        var response = await client.GetAsync(new Uri("http://backend.invalid/"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(1, inner.Calls);
    }
}

using System.Net;
using Dental.ServiceDefaults.Resilience;

namespace Dental.UnitTests;

public class TransientFaultsTests
{
    private sealed class StatusException(int status) : Exception("status")
    {
        public int Status { get; } = status;
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(412, false)]
    public void Azure_style_status_exceptions_are_transient_only_for_server_and_throttling_errors(int status, bool transient)
    {
        Assert.Equal(transient, TransientFaults.IsTransient(new StatusException(status)));
    }

    [Fact]
    public void Network_failures_are_transient_and_bad_requests_are_not()
    {
        Assert.True(TransientFaults.IsTransient(new HttpRequestException("refused")));
        Assert.True(TransientFaults.IsTransient(new HttpRequestException("bad", null, HttpStatusCode.BadGateway)));
        Assert.False(TransientFaults.IsTransient(new HttpRequestException("bad", null, HttpStatusCode.BadRequest)));
        Assert.False(TransientFaults.IsTransient(new InvalidOperationException("bug")));
        Assert.True(TransientFaults.IsTransient(new InvalidOperationException("wrapped", new TimeoutException())));
    }
}

namespace Dental.Messaging.ServiceBus;

/// <summary>A Service Bus REST call answered with an error; <see cref="Status"/> lets the resilience policy judge it.</summary>
public sealed class ServiceBusRequestException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

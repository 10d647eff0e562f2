param name string
param location string
param maxDeliveryCount int

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource images 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = {
  parent: namespace
  name: 'images'
  properties: {
    // MessageId = event id, so a re-published event (outbox retry) is dropped by the broker.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    defaultMessageTimeToLive: 'P14D'
  }
}

resource subscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [for consumer in ['thumbnailer', 'catalog']: {
  parent: images
  name: consumer
  properties: {
    lockDuration: 'PT30S'
    maxDeliveryCount: maxDeliveryCount
    deadLetteringOnMessageExpiration: true
    deadLetteringOnFilterEvaluationExceptions: true
  }
}]

output name string = namespace.name
output endpoint string = 'https://${namespace.name}.servicebus.windows.net/'

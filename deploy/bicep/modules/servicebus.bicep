param name string
param location string
param maxDeliveryCount int

@description('Reachable only through a private endpoint, which only the Premium tier offers.')
param privateNetworking bool

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  sku: privateNetworking ? { name: 'Premium', tier: 'Premium', capacity: 1 } : { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    minimumTlsVersion: '1.2'
  }
}

// images: ImageUploaded, for the thumbnailer and the catalog. image-results: PreviewsReady and
// ImageRejected, for the catalog only, so the thumbnailer's backlog (its scale rule) is all work.
// patients: PatientErased, for every service that stores something about a patient, and their PatientErasureReported
// for the catalog's receipt.
// renditions: LargePreviewRequested, repair's lower-priority backfill of the viewing preview for images stored before it existed.
resource topics 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = [for topic in ['images', 'image-results', 'patients', 'renditions']: {
  parent: namespace
  name: topic
  properties: {
    // MessageId = event id, so a re-published event (outbox retry) is dropped by the broker.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    defaultMessageTimeToLive: 'P14D'
  }
}]

var subscriptionProperties = {
  lockDuration: 'PT30S'
  maxDeliveryCount: maxDeliveryCount
  deadLetteringOnMessageExpiration: true
  deadLetteringOnFilterEvaluationExceptions: true
}

resource imagesSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [for consumer in ['thumbnailer', 'catalog']: {
  parent: topics[0]
  name: consumer
  properties: subscriptionProperties
}]

resource resultsSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [for consumer in ['catalog']: {
  parent: topics[1]
  name: consumer
  properties: subscriptionProperties
}]

resource patientsSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [for consumer in ['upload', 'thumbnailer', 'catalog']: {
  parent: topics[2]
  name: consumer
  properties: subscriptionProperties
}]

resource renditionsSubscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = [for consumer in ['thumbnailer']: {
  parent: topics[3]
  name: consumer
  properties: subscriptionProperties
}]

// Each subscription takes what is published to the topic, and what an operator resubmits to it alone (To = its
// name): a resubmitted dead letter must not reach the topic's other subscribers again.
resource imagesRules 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2022-10-01-preview' = [for (consumer, i) in ['thumbnailer', 'catalog']: {
  parent: imagesSubscriptions[i]
  name: '$Default'
  properties: { filterType: 'SqlFilter', sqlFilter: { sqlExpression: 'sys.To IS NULL OR sys.To = \'${consumer}\'' } }
}]

resource resultsRules 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2022-10-01-preview' = [for (consumer, i) in ['catalog']: {
  parent: resultsSubscriptions[i]
  name: '$Default'
  properties: { filterType: 'SqlFilter', sqlFilter: { sqlExpression: 'sys.To IS NULL OR sys.To = \'${consumer}\'' } }
}]

resource patientsRules 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2022-10-01-preview' = [for (consumer, i) in ['upload', 'thumbnailer', 'catalog']: {
  parent: patientsSubscriptions[i]
  name: '$Default'
  properties: { filterType: 'SqlFilter', sqlFilter: { sqlExpression: 'sys.To IS NULL OR sys.To = \'${consumer}\'' } }
}]

resource renditionsRules 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2022-10-01-preview' = [for (consumer, i) in ['thumbnailer']: {
  parent: renditionsSubscriptions[i]
  name: '$Default'
  properties: { filterType: 'SqlFilter', sqlFilter: { sqlExpression: 'sys.To IS NULL OR sys.To = \'${consumer}\'' } }
}]

output name string = namespace.name
output endpoint string = 'https://${namespace.name}.servicebus.windows.net/'

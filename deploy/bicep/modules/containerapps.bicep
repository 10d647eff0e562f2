param namePrefix string
param location string
param imageTag string
param registryServer string
param logAnalyticsWorkspaceName string
param appInsightsName string
@description('Identity resource id by service name.')
param identityIds object
@description('Identity client id by service name (AZURE_CLIENT_ID selects it inside the container).')
param identityClientIds object
param blobEndpoint string
param auditBlobEndpoint string
param cosmosEndpoint string
@allowed(['ServiceBus', 'StorageQueues'])
param messagingTransport string
param queueEndpoint string
param storageAccountName string
param serviceBusEndpoint string
param serviceBusNamespaceName string
param jwtAuthority string
param jwtAudience string
param corsOrigins array
param trustedProxyNetworks array
param webClientId string
param maxDeliveryCount int
param maxTransientDeliveryCount int
@description('Replicas per service: { gateway: { min, max }, ... }.')
param replicas object
param backlogPerReplica int
@description('Minutes a content link lives; 0: content is streamed by the catalog.')
param contentLinkMinutes int

@description('Days a deleted image stays restorable before the retention purge.')
param deletedImageRetentionDays int
@description('The apps\' subnet when private networking is on; empty otherwise.')
param appsSubnetId string
@allowed(['Single', 'Multiple'])
param revisionMode string

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsWorkspaceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: '${namePrefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: { customerId: logs.properties.customerId, sharedKey: logs.listKeys().primarySharedKey }
    }
    // The gateway's ingress stays public; everything behind it reaches the data services privately.
    vnetConfiguration: empty(appsSubnetId) ? null : { infrastructureSubnetId: appsSubnetId, internal: false }
  }
}

// Settings every service reads (see the options classes; DeploymentTemplateTests checks them in the compiled template).
var common = [
  { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
  { name: 'ASPNETCORE_URLS', value: 'http://+:8080' }
  { name: 'Auth__Authority', value: jwtAuthority }
  { name: 'Auth__Audience', value: jwtAudience }
  // Traces, metrics and logs to Application Insights (local auth off: the service's identity signs in).
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', secretRef: 'appinsights-connection-string' }
]
var storage = [
  { name: 'Storage__BlobServiceUri', value: blobEndpoint }
]
// The audit trail's own account (written by the gateway, upload and catalog; read by the catalog).
var audit = [
  { name: 'Audit__BlobServiceUri', value: auditBlobEndpoint }
]
var messaging = [
  { name: 'Messaging__Transport', value: messagingTransport }
  { name: 'Messaging__ServiceBus__Endpoint', value: serviceBusEndpoint }
  { name: 'Messaging__StorageQueues__ServiceUri', value: queueEndpoint }
  { name: 'Messaging__MaxDeliveryAttempts', value: string(maxDeliveryCount) }
  { name: 'Messaging__MaxTransientDeliveryAttempts', value: string(maxTransientDeliveryCount) }
]
var cors = [for (origin, i) in corsOrigins: { name: 'Gateway__CorsOrigins__${i}', value: origin }]
var proxies = [for (network, i) in trustedProxyNetworks: { name: 'Gateway__TrustedProxyNetworks__${i}', value: network }]
var gateway = [
  { name: 'ReverseProxy__Clusters__upload__Destinations__primary__Address', value: 'http://${namePrefix}-upload' }
  { name: 'ReverseProxy__Clusters__catalog__Destinations__primary__Address', value: 'http://${namePrefix}-catalog' }
  { name: 'WebClient__ClientId', value: webClientId }
]
var cosmos = [
  { name: 'Cosmos__Endpoint', value: cosmosEndpoint }
]
// Content links (the catalog redirects to the blob endpoint, which the web client's policy must then allow) and retention.
var catalogSettings = [
  { name: 'Catalog__ContentSasMinutes', value: string(contentLinkMinutes) }
  { name: 'Catalog__DeletedImageRetention', value: '${deletedImageRetentionDays}.00:00:00' }
]
// A duplicate upload asks the catalog (inside the environment) for the stored image's status.
var uploadSettings = [
  { name: 'Upload__CatalogAddress', value: 'http://${namePrefix}-catalog' }
]
var gatewayLinks = [
  { name: 'WebClient__ContentOrigins__0', value: contentLinkMinutes > 0 ? blobEndpoint : '' }
]

var settings = {
  gateway: concat(common, storage, audit, gateway, cors, proxies, gatewayLinks)
  upload: concat(common, storage, audit, messaging, uploadSettings)
  thumbnailer: concat(common, storage, messaging)
  catalog: concat(common, storage, audit, messaging, cosmos, catalogSettings)
}

// What each event consumer's backlog is: its Service Bus subscription or its Storage queue.
var backlog = {
  thumbnailer: { topic: 'images', subscription: 'thumbnailer', queue: 'images-thumbnailer' }
  catalog: { topic: 'images', subscription: 'catalog', queue: 'images-catalog' }
}

// KEDA reads the backlog with the service's own identity (no connection string anywhere).
var backlogRules = {
  ServiceBus: {
    thumbnailer: {
      name: 'backlog'
      custom: {
        type: 'azure-servicebus'
        identity: identityIds.thumbnailer
        metadata: { namespace: serviceBusNamespaceName, topicName: backlog.thumbnailer.topic, subscriptionName: backlog.thumbnailer.subscription, messageCount: string(backlogPerReplica) }
      }
    }
    catalog: {
      name: 'backlog'
      custom: {
        type: 'azure-servicebus'
        identity: identityIds.catalog
        metadata: { namespace: serviceBusNamespaceName, topicName: backlog.catalog.topic, subscriptionName: backlog.catalog.subscription, messageCount: string(backlogPerReplica) }
      }
    }
  }
  StorageQueues: {
    thumbnailer: {
      name: 'backlog'
      azureQueue: { accountName: storageAccountName, queueName: backlog.thumbnailer.queue, queueLength: backlogPerReplica, identity: identityIds.thumbnailer }
    }
    catalog: {
      name: 'backlog'
      azureQueue: { accountName: storageAccountName, queueName: backlog.catalog.queue, queueLength: backlogPerReplica, identity: identityIds.catalog }
    }
  }
}

var httpRule = { name: 'http', http: { metadata: { concurrentRequests: '50' } } }
var rules = {
  gateway: [httpRule]
  upload: [httpRule]
  thumbnailer: [backlogRules[messagingTransport].thumbnailer]
  catalog: [httpRule, backlogRules[messagingTransport].catalog]
}

resource app 'Microsoft.App/containerApps@2025-07-01' = [for service in ['gateway', 'upload', 'thumbnailer', 'catalog']: {
  name: '${namePrefix}-${service}'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityIds[service]}': {} }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      activeRevisionsMode: revisionMode
      // Only the gateway is reachable from outside, over HTTPS only; the rest answer inside the environment only.
      ingress: {
        external: service == 'gateway'
        targetPort: 8080
        transport: 'auto'
        allowInsecure: false
      }
      registries: [{ server: registryServer, identity: identityIds[service] }]
      secrets: [{ name: 'appinsights-connection-string', value: appInsights.properties.ConnectionString }]
    }
    template: {
      containers: [
        {
          name: service
          image: '${registryServer}/dental-${service}:${imageTag}'
          resources: service == 'thumbnailer' ? { cpu: json('2.0'), memory: '4Gi' } : { cpu: json('0.5'), memory: '1Gi' }
          env: concat(settings[service], [
            { name: 'AZURE_CLIENT_ID', value: identityClientIds[service] }
            { name: 'OTEL_SERVICE_NAME', value: service }
          ])
          probes: [
            { type: 'Startup', httpGet: { path: '/health/live', port: 8080 }, periodSeconds: 2, failureThreshold: 30 }
            { type: 'Liveness', httpGet: { path: '/health/live', port: 8080 } }
            { type: 'Readiness', httpGet: { path: '/health/ready', port: 8080 } }
          ]
        }
      ]
      scale: {
        minReplicas: replicas[service].min
        maxReplicas: replicas[service].max
        rules: rules[service]
      }
    }
  }
}]

output gatewayUrl string = 'https://${app[0].properties.configuration.ingress.fqdn}'

param namePrefix string
param location string
param imageTag string
param registryServer string
param logAnalyticsWorkspaceName string
@secure()
param appInsightsConnectionString string
@description('Identity resource id by service name.')
param identityIds object
@description('Identity client id by service name (AZURE_CLIENT_ID selects it inside the container).')
param identityClientIds object
param blobEndpoint string
param cosmosEndpoint string
@allowed(['ServiceBus', 'StorageQueues'])
param messagingTransport string
param queueEndpoint string
param serviceBusEndpoint string
param serviceBusNamespaceName string
param jwtAuthority string
param jwtAudience string
param corsOrigins array
param trustedProxyNetworks array
param webClientId string
param maxDeliveryCount int
param maxTransientDeliveryCount int

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsWorkspaceName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: { customerId: logs.properties.customerId, sharedKey: logs.listKeys().primarySharedKey }
    }
    // The managed OpenTelemetry agent injects OTEL_EXPORTER_OTLP_ENDPOINT into every app and forwards to Application Insights.
    appInsightsConfiguration: { connectionString: appInsightsConnectionString }
    openTelemetryConfiguration: {
      tracesConfiguration: { destinations: ['appInsights'] }
      logsConfiguration: { destinations: ['appInsights'] }
    }
  }
}

// Settings every service reads (see the options classes; DeploymentTemplateTests checks this list).
var common = [
  { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
  { name: 'ASPNETCORE_URLS', value: 'http://+:8080' }
  { name: 'Auth__Authority', value: jwtAuthority }
  { name: 'Auth__Audience', value: jwtAudience }
]
var storage = [
  { name: 'Storage__BlobServiceUri', value: blobEndpoint }
]
var messaging = [
  { name: 'Messaging__Transport', value: messagingTransport }
  { name: 'Messaging__ServiceBus__Endpoint', value: serviceBusEndpoint }
  { name: 'Messaging__StorageQueues__ServiceUri', value: queueEndpoint }
  { name: 'Messaging__MaxDeliveryAttempts', value: string(maxDeliveryCount) }
  { name: 'Messaging__MaxTransientDeliveryAttempts', value: string(maxTransientDeliveryCount) }
]

var settings = {
  upload: concat(common, storage, messaging)
  thumbnailer: concat(common, storage, messaging)
  catalog: concat(common, storage, messaging, [
    { name: 'Cosmos__Endpoint', value: cosmosEndpoint }
  ])
  gateway: concat(common, [
    { name: 'ReverseProxy__Clusters__upload__Destinations__primary__Address', value: 'http://${namePrefix}-upload' }
    { name: 'ReverseProxy__Clusters__catalog__Destinations__primary__Address', value: 'http://${namePrefix}-catalog' }
    { name: 'WebClient__ClientId', value: webClientId }
  ], [for (origin, i) in corsOrigins: { name: 'Gateway__CorsOrigins__${i}', value: origin }],
    [for (network, i) in trustedProxyNetworks: { name: 'Gateway__TrustedProxyNetworks__${i}', value: network }])
}

resource app 'Microsoft.App/containerApps@2024-03-01' = [for service in ['gateway', 'upload', 'thumbnailer', 'catalog']: {
  name: '${namePrefix}-${service}'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityIds[service]}': {} }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      // Only the gateway is reachable from outside; the rest answer inside the environment only.
      ingress: {
        external: service == 'gateway'
        targetPort: 8080
        transport: 'auto'
        allowInsecure: service != 'gateway'
      }
      registries: [{ server: registryServer, identity: identityIds[service] }]
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
            { type: 'Liveness', httpGet: { path: '/health/live', port: 8080 } }
            { type: 'Readiness', httpGet: { path: '/health/ready', port: 8080 } }
          ]
        }
      ]
      scale: service == 'thumbnailer'
        ? {
            minReplicas: 0
            maxReplicas: 10
            // Scale on the subscription's backlog, read with the thumbnailer's own identity (no connection string).
            rules: [
              {
                name: 'images-backlog'
                custom: {
                  type: 'azure-servicebus'
                  identity: identityIds.thumbnailer
                  metadata: {
                    namespace: serviceBusNamespaceName
                    topicName: 'images'
                    subscriptionName: 'thumbnailer'
                    messageCount: '20'
                  }
                }
              }
            ]
          }
        : { minReplicas: 1, maxReplicas: 5 }
    }
  }
}]

output gatewayUrl string = 'https://${app[0].properties.configuration.ingress.fqdn}'

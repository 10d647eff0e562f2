// The dental image platform on Azure: Container Apps for the four services, each with its own
// user-assigned managed identity and only the data-plane roles it needs; no keys or secrets anywhere.
targetScope = 'resourceGroup'

@description('Short lowercase prefix for resource names.')
@minLength(3)
@maxLength(12)
param namePrefix string = 'dental'

param location string = resourceGroup().location

@description('Container image tag to deploy (pushed to the registry by azd or CI).')
param imageTag string = 'latest'

@description('Microsoft Entra ID issuer that signs the clients\' tokens, e.g. https://login.microsoftonline.com/{tenant}/v2.0')
param jwtAuthority string

@description('The API\'s application ID URI, the audience every token must carry.')
param jwtAudience string

@description('Web client origins allowed by CORS (other than the gateway itself, which serves the web client at /).')
param corsOrigins array = []

@description('Networks (CIDR) the gateway believes X-Forwarded-For from: the Container Apps environment, whose ingress is the only way in. Anonymous callers are rate-limited by the forwarded address.')
param trustedProxyNetworks array = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16']

@description('The web client\'s application (client) id in Microsoft Entra ID: a single-page application registered with the gateway URL as redirect URI.')
param webClientId string

@allowed(['serverless', 'autoscale'])
param cosmosCapacityMode string = 'serverless'

@description('Maximum RU/s when cosmosCapacityMode is autoscale.')
param cosmosAutoscaleMaxThroughput int = 1000

@description('Days after which originals move to the Cool tier (clinical records are kept for years).')
param originalsCoolAfterDays int = 90

@description('Event transport: Service Bus topics (default) or Storage queues in the platform\'s storage account.')
@allowed(['ServiceBus', 'StorageQueues'])
param messagingTransport string = 'ServiceBus'

@description('Deliveries before a message that fails on its own data is given up (the services dead-letter it).')
param maxDeliveryCount int = 5

@description('Deliveries while failures are transient (a dependency down): the subscriptions\' MaxDeliveryCount. Consumers stop receiving while a dependency is down, so an outage costs one delivery.')
param maxTransientDeliveryCount int = 10

@description('Replicas per service: the gateway and the catalog serve requests (at least one), the thumbnailer scales from zero on its backlog, the catalog also on its backlog.')
param replicas object = {
  gateway: { min: 1, max: 5 }
  upload: { min: 1, max: 5 }
  thumbnailer: { min: 0, max: 10 }
  catalog: { min: 1, max: 5 }
}

@description('Minutes a content link (302 to a read-only SAS signed with a user-delegation key) lives; 0 streams content through the catalog.')
@minValue(0)
@maxValue(60)
param contentLinkMinutes int = 0

@description('Private networking: the apps in a virtual network and Storage, Cosmos DB and Service Bus reachable only through private endpoints (Service Bus then needs the Premium tier). Adds roughly: Service Bus Premium 1 messaging unit ≈ 680 USD/month instead of Standard ≈ 10; private endpoints ≈ 7.5 USD/month each (3) plus 0.01 USD/GB; private DNS zones ≈ 0.5 USD/month each.')
param privateNetworking bool = false

@description('Address space of the virtual network when privateNetworking is on.')
param networkAddressPrefix string = '10.40.0.0/16'

@description('Single: each deployment replaces the running revision; Multiple: revisions run side by side for traffic splitting.')
@allowed(['Single', 'Multiple'])
param revisionMode string = 'Single'

@description('Email that receives alerts (dead letters, backlog, 5xx); none when empty.')
param alertEmail string = ''

@description('Messages waiting for 15 minutes before the backlog alert fires.')
param backlogAlertThreshold int = 500

@description('Backlog per replica that makes the thumbnailer and the catalog scale out (messages in their subscription or queue).')
param backlogPerReplica int = 20

@description('Days each audit record stays unchangeable and undeletable (its own storage account, time-based retention); 6 years by default, as HIPAA asks of compliance records.')
@minValue(1)
param auditRetentionDays int = 2190

@description('Days a deleted blob stays recoverable (soft delete) before Azure removes it for good: the longest an erased patient\'s images survive.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 7

@description('Days logs and traces are kept in Log Analytics (opaque ids only): the longest an erased patient\'s id survives there.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Days a deleted image stays restorable before the retention purge removes it, original and previews, for good.')
@minValue(1)
@maxValue(3650)
param deletedImageRetentionDays int = 30

@description('Object id of the platform operators\' Entra ID group (the operations tool\'s identity); no operator roles when empty.')
param operatorPrincipalId string = ''

var suffix = uniqueString(resourceGroup().id)
var services = ['gateway', 'upload', 'thumbnailer', 'catalog']

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { namePrefix: namePrefix, location: location, retentionDays: logRetentionDays }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: { name: '${namePrefix}acr${suffix}', location: location }
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: { namePrefix: namePrefix, location: location, services: services }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: '${namePrefix}st${suffix}'
    location: location
    originalsCoolAfterDays: originalsCoolAfterDays
    blobSoftDeleteDays: blobSoftDeleteDays
    createQueues: messagingTransport == 'StorageQueues'
    privateNetworking: privateNetworking
    allowContentLinks: contentLinkMinutes > 0
  }
}

module audit 'modules/audit.bicep' = {
  name: 'audit'
  params: {
    name: '${namePrefix}aud${suffix}'
    location: location
    retentionDays: auditRetentionDays
    privateNetworking: privateNetworking
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    name: '${namePrefix}-cosmos-${suffix}'
    location: location
    capacityMode: cosmosCapacityMode
    privateNetworking: privateNetworking
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: { name: '${namePrefix}-sb-${suffix}', location: location, maxDeliveryCount: maxTransientDeliveryCount, privateNetworking: privateNetworking }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  name: 'network'
  params: {
    namePrefix: namePrefix
    location: location
    addressPrefix: networkAddressPrefix
    storageAccountName: storage.outputs.name
    auditAccountName: audit.outputs.name
    cosmosAccountName: cosmos.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    storageQueues: messagingTransport == 'StorageQueues'
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    storageAccountName: storage.outputs.name
    auditAccountName: audit.outputs.name
    cosmosAccountName: cosmos.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    registryName: registry.outputs.name
    principals: toObject(identities.outputs.identities, i => i.service, i => i.principalId)
    appInsightsName: monitoring.outputs.appInsightsName
    storageQueues: messagingTransport == 'StorageQueues'
    operatorPrincipalId: operatorPrincipalId
  }
}

module apps 'modules/containerapps.bicep' = {
  name: 'containerapps'
  dependsOn: [roles]
  params: {
    namePrefix: namePrefix
    location: location
    imageTag: imageTag
    registryServer: registry.outputs.loginServer
    logAnalyticsWorkspaceName: monitoring.outputs.logAnalyticsName
    appInsightsName: monitoring.outputs.appInsightsName
    identityIds: toObject(identities.outputs.identities, i => i.service, i => i.id)
    identityClientIds: toObject(identities.outputs.identities, i => i.service, i => i.clientId)
    storageAccountName: storage.outputs.name
    replicas: replicas
    backlogPerReplica: backlogPerReplica
    contentLinkMinutes: contentLinkMinutes
    deletedImageRetentionDays: deletedImageRetentionDays
    revisionMode: revisionMode
    appsSubnetId: privateNetworking ? network!.outputs.appsSubnetId : ''

    blobEndpoint: storage.outputs.blobEndpoint
    auditBlobEndpoint: audit.outputs.blobEndpoint
    cosmosEndpoint: cosmos.outputs.endpoint
    messagingTransport: messagingTransport
    queueEndpoint: storage.outputs.queueEndpoint
    serviceBusEndpoint: serviceBus.outputs.endpoint
    serviceBusNamespaceName: serviceBus.outputs.name
    jwtAuthority: jwtAuthority
    jwtAudience: jwtAudience
    corsOrigins: corsOrigins
    trustedProxyNetworks: trustedProxyNetworks
    webClientId: webClientId
    maxDeliveryCount: maxDeliveryCount
    maxTransientDeliveryCount: maxTransientDeliveryCount
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    namePrefix: namePrefix
    appInsightsName: monitoring.outputs.appInsightsName
    serviceBusNamespaceName: serviceBus.outputs.name
    storageAccountName: storage.outputs.name
    messagingTransport: messagingTransport
    alertEmail: alertEmail
    backlogAlertThreshold: backlogAlertThreshold
  }
}

output gatewayUrl string = apps.outputs.gatewayUrl
output registryLoginServer string = registry.outputs.loginServer

@description('Days by which every copy of an erased patient\'s data is gone: blob soft delete, Cosmos DB point-in-time backups (7 days), logs.')
output erasureDeadlineDays int = max(blobSoftDeleteDays, 7, logRetentionDays)

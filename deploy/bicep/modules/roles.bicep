// Least privilege: each service's identity gets data-plane roles on exactly the resources it touches.
param storageAccountName string
param auditAccountName string
param cosmosAccountName string
param serviceBusNamespaceName string
param registryName string
param appInsightsName string

@description('Principal id of each service identity, by service name.')
param principals object

@description('Object id of the platform operator (the operations tool\'s identity: a group or a workload identity); none when empty.')
param operatorPrincipalId string = ''

@description('The Storage-queue transport is used: the three event services need queue access on the account.')
param storageQueues bool

// Built-in role definition ids (Azure documentation).
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var serviceBusDataSender = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
var serviceBusDataReceiver = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var cosmosBuiltInDataContributor = '00000000-0000-0000-0000-000000000002'
var serviceBusDataOwner = '090c5cfd-751d-490a-894a-3ce6f1109419'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
var storageBlobDelegator = 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: account
  name: 'default'
}

resource originals 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: 'originals'
}

resource previews 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: 'previews'
}

resource uploadRecords 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: 'upload-records'
}

resource clinics 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: 'clinics'
}

resource auditAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: auditAccountName
}

resource auditBlobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: auditAccount
  name: 'default'
}

resource auditContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: auditBlobService
  name: 'audit'
}

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusNamespaceName
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' existing = {
  parent: namespace
  name: 'images'
}

resource thumbnailerSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' existing = {
  parent: topic
  name: 'thumbnailer'
}

resource catalogSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' existing = {
  parent: topic
  name: 'catalog'
}

resource resultsTopic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' existing = {
  parent: namespace
  name: 'image-results'
}

resource catalogResultsSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' existing = {
  parent: resultsTopic
  name: 'catalog'
}

resource patientsTopic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' existing = {
  parent: namespace
  name: 'patients'
}

resource uploadPatientsSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' existing = {
  parent: patientsTopic
  name: 'upload'
}

resource thumbnailerPatientsSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' existing = {
  parent: patientsTopic
  name: 'thumbnailer'
}

resource catalogPatientsSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' existing = {
  parent: patientsTopic
  name: 'catalog'
}

resource renditionsTopic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' existing = {
  parent: namespace
  name: 'renditions'
}

resource thumbnailerRenditionsSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' existing = {
  parent: renditionsTopic
  name: 'thumbnailer'
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' existing = {
  name: cosmosAccountName
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// Upload: writes originals and its own records (dedupe, idempotency, outbox, tombstones); sends image events; receives
// PatientErased and reports its part.
resource uploadOriginals 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: originals
  name: guid(originals.id, principals.upload, storageBlobDataContributor)
  properties: { principalId: principals.upload, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor) }
}

resource uploadOwnRecords 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: uploadRecords
  name: guid(uploadRecords.id, principals.upload, storageBlobDataContributor)
  properties: { principalId: principals.upload, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor) }
}

resource uploadReceive 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: uploadPatientsSubscription
  name: guid(uploadPatientsSubscription.id, principals.upload, serviceBusDataReceiver)
  properties: { principalId: principals.upload, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiver) }
}

resource uploadSend 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: topic
  name: guid(topic.id, principals.upload, serviceBusDataSender)
  properties: { principalId: principals.upload, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender) }
}

// The clinic registry is read by every service that answers patient routes (the gateway, upload, catalog).
resource uploadSendReports 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: patientsTopic
  name: guid(patientsTopic.id, principals.upload, serviceBusDataSender)
  properties: { principalId: principals.upload, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender) }
}

resource clinicRegistryReaders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for reader in ['gateway', 'upload', 'catalog']: {
  scope: clinics
  name: guid(clinics.id, principals[reader], storageBlobDataReader)
  properties: { principalId: principals[reader], principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader) }
}]

// The audit trail is appended to by every service that answers requests (the gateway its refusal counts) and read by the
// catalog (the audit routes). Contributor is the least role that appends; the container's retention policy refuses every
// change and delete of a record, whatever the role.
resource auditWriters 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for writer in ['gateway', 'upload', 'catalog']: {
  scope: auditContainer
  name: guid(auditContainer.id, principals[writer], storageBlobDataContributor)
  properties: { principalId: principals[writer], principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor) }
}]

// Thumbnailer: reads originals, writes previews, receives its subscriptions (images, renditions, patients) and publishes
// results (image-results), its own later work (renditions) and its erasure reports (patients).
resource thumbnailerOriginals 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: originals
  name: guid(originals.id, principals.thumbnailer, storageBlobDataReader)
  properties: { principalId: principals.thumbnailer, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader) }
}

resource thumbnailerPreviews 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: previews
  name: guid(previews.id, principals.thumbnailer, storageBlobDataContributor)
  properties: { principalId: principals.thumbnailer, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor) }
}

resource thumbnailerReceive 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: thumbnailerSubscription
  name: guid(thumbnailerSubscription.id, principals.thumbnailer, serviceBusDataReceiver)
  properties: { principalId: principals.thumbnailer, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiver) }
}

resource thumbnailerSend 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: resultsTopic
  name: guid(resultsTopic.id, principals.thumbnailer, serviceBusDataSender)
  properties: { principalId: principals.thumbnailer, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender) }
}

resource thumbnailerRenditionsReceive 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: thumbnailerRenditionsSubscription
  name: guid(thumbnailerRenditionsSubscription.id, principals.thumbnailer, serviceBusDataReceiver)
  properties: { principalId: principals.thumbnailer, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiver) }
}

resource thumbnailerPatientsReceive 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: thumbnailerPatientsSubscription
  name: guid(thumbnailerPatientsSubscription.id, principals.thumbnailer, serviceBusDataReceiver)
  properties: { principalId: principals.thumbnailer, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiver) }
}

resource thumbnailerPatientsSend 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: patientsTopic
  name: guid(patientsTopic.id, principals.thumbnailer, serviceBusDataSender)
  properties: { principalId: principals.thumbnailer, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender) }
}

resource thumbnailerRenditionsSend 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: renditionsTopic
  name: guid(renditionsTopic.id, principals.thumbnailer, serviceBusDataSender)
  properties: { principalId: principals.thumbnailer, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender) }
}

// Catalog: reads originals and previews (content; each is deleted by its owner), owns the Cosmos data, receives its
// subscriptions (images, image-results, patients), announces erasures.
resource catalogOriginals 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: originals
  name: guid(originals.id, principals.catalog, storageBlobDataReader)
  properties: { principalId: principals.catalog, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader) }
}

resource catalogPreviews 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: previews
  name: guid(previews.id, principals.catalog, storageBlobDataReader)
  properties: { principalId: principals.catalog, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader) }
}

resource catalogReceive 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: catalogSubscription
  name: guid(catalogSubscription.id, principals.catalog, serviceBusDataReceiver)
  properties: { principalId: principals.catalog, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiver) }
}

resource catalogReceiveResults 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: catalogResultsSubscription
  name: guid(catalogResultsSubscription.id, principals.catalog, serviceBusDataReceiver)
  properties: { principalId: principals.catalog, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiver) }
}

resource catalogReceivePatients 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: catalogPatientsSubscription
  name: guid(catalogPatientsSubscription.id, principals.catalog, serviceBusDataReceiver)
  properties: { principalId: principals.catalog, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiver) }
}

resource catalogSendErasures 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: patientsTopic
  name: guid(patientsTopic.id, principals.catalog, serviceBusDataSender)
  properties: { principalId: principals.catalog, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender) }
}

// Content links: a short-lived read SAS signed with a user-delegation key, which only the account scope grants.
resource catalogDelegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: account
  name: guid(account.id, principals.catalog, storageBlobDelegator)
  properties: { principalId: principals.catalog, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDelegator) }
}

resource catalogCosmos 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, principals.catalog, cosmosBuiltInDataContributor)
  properties: {
    principalId: principals.catalog
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosBuiltInDataContributor}'
    scope: '${cosmos.id}/dbs/dental'
  }
}

// With the Storage-queue transport: send and receive on the account's queues (scoped to the account:
// queue-level scopes would need one assignment per queue and service).
resource queueAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for service in ['upload', 'thumbnailer', 'catalog']: if (storageQueues) {
  scope: account
  name: guid(account.id, principals[service], storageQueueDataContributor)
  properties: { principalId: principals[service], principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor) }
}]

// Every service pulls its image with its own identity. The gateway gets nothing else.
resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for service in items(principals): {
  scope: registry
  name: guid(registry.id, service.value, acrPull)
  properties: { principalId: service.value, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull) }
}]

// The KEDA scaler reads a subscription's message count through the management API, which the Receiver role does
// not allow; Data Owner scoped to the service's own subscription is the least that does.
resource thumbnailerScaler 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!storageQueues) {
  scope: thumbnailerSubscription
  name: guid(thumbnailerSubscription.id, principals.thumbnailer, serviceBusDataOwner)
  properties: { principalId: principals.thumbnailer, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataOwner) }
}

resource catalogScaler 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!storageQueues) {
  scope: catalogSubscription
  name: guid(catalogSubscription.id, principals.catalog, serviceBusDataOwner)
  properties: { principalId: principals.catalog, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataOwner) }
}

// Telemetry: Application Insights has local authentication off, so each service signs in to publish.
resource telemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for service in items(principals): {
  scope: appInsights
  name: guid(appInsights.id, service.value, monitoringMetricsPublisher)
  properties: { principalId: service.value, principalType: 'ServicePrincipal', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher) }
}]

// The platform operator (the operations tool, a group of operators): registers and suspends clinics, resubmits or purges
// dead letters, and reads the platform-wide part of the audit trail (refusals of callers without a clinic). No image
// container and no Cosmos data: the operator reads no image content.

resource operatorClinics 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  scope: clinics
  name: guid(clinics.id, operatorPrincipalId, storageBlobDataContributor)
  properties: { principalId: operatorPrincipalId, principalType: 'Group', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor) }
}

resource operatorAudit 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  scope: auditContainer
  name: guid(auditContainer.id, operatorPrincipalId, storageBlobDataReader)
  properties: { principalId: operatorPrincipalId, principalType: 'Group', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader) }
}

resource operatorDeadLetterReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  scope: namespace
  name: guid(namespace.id, operatorPrincipalId, serviceBusDataReceiver)
  properties: { principalId: operatorPrincipalId, principalType: 'Group', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataReceiver) }
}

resource operatorDeadLetterSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  scope: namespace
  name: guid(namespace.id, operatorPrincipalId, serviceBusDataSender)
  properties: { principalId: operatorPrincipalId, principalType: 'Group', roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', serviceBusDataSender) }
}

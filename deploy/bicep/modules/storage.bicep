param name string
param location string
param originalsCoolAfterDays int

@description('Days a deleted blob stays recoverable (soft delete) before Azure removes it for good: the longest an erased original or preview survives.')
param blobSoftDeleteDays int

@description('Create the queues of the Storage-queue transport (one per subscription, each with a poison queue).')
param createQueues bool

@description('Browsers follow content links (read-only SAS) here: allow cross-origin GET. The SAS is the credential, so any origin may read what it names.')
param allowContentLinks bool

@description('Reachable only through private endpoints.')
param privateNetworking bool

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    networkAcls: { defaultAction: privateNetworking ? 'Deny' : 'Allow', bypass: 'AzureServices' }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    // A blob deleted by mistake (or by an attacker) can be recovered for blobSoftDeleteDays, then it is gone, erased
    // patients' blobs with it. No versioning: originals and previews are written once (If-None-Match), so versions would
    // only keep what an erasure deletes, with no end date; soft delete covers accidental deletes with one.
    deleteRetentionPolicy: { enabled: true, days: blobSoftDeleteDays }
    containerDeleteRetentionPolicy: { enabled: true, days: blobSoftDeleteDays }
    isVersioningEnabled: false
    cors: {
      corsRules: allowContentLinks ? [{ allowedOrigins: ['*'], allowedMethods: ['GET', 'HEAD'], allowedHeaders: ['range', 'if-none-match'], exposedHeaders: ['etag', 'content-length', 'content-type'], maxAgeInSeconds: 3600 }] : []
    }
  }
}

resource originals 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'originals'
  properties: { publicAccess: 'None' }
}

resource previews 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'previews'
  properties: { publicAccess: 'None' }
}

// The Upload service's own records (dedupe markers, idempotency records, outbox): no other service reads them.
resource uploadRecords 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'upload-records'
  properties: { publicAccess: 'None' }
}

// The clinic registry: one record per clinic the platform serves, written by the operator (the operations tool),
// read by the gateway, the upload and the catalog service.
resource clinics 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'clinics'
  properties: { publicAccess: 'None' }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'originals-to-cool'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['originals/'] }
            actions: {
              baseBlob: { tierToCool: { daysAfterModificationGreaterThan: originalsCoolAfterDays } }
            }
          }
        }
        {
          // Should versioning or snapshots ever be turned on, no earlier copy of patient data outlives a day (the erasure
          // deletes them at once too; this is the backstop).
          name: 'no-lasting-copies'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['originals/', 'previews/', 'upload-records/'] }
            actions: {
              version: { delete: { daysAfterCreationGreaterThan: 1 } }
              snapshot: { delete: { daysAfterCreationGreaterThan: 1 } }
            }
          }
        }
      ]
    }
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = if (createQueues) {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in ['images-thumbnailer', 'images-thumbnailer-poison', 'images-catalog', 'images-catalog-poison', 'image-results-catalog', 'image-results-catalog-poison', 'patients-upload', 'patients-upload-poison', 'patients-thumbnailer', 'patients-thumbnailer-poison', 'patients-catalog', 'patients-catalog-poison', 'renditions-thumbnailer', 'renditions-thumbnailer-poison']: if (createQueues) {
  parent: queueService
  name: queue
}]

output name string = account.name
output queueEndpoint string = account.properties.primaryEndpoints.queue
output blobEndpoint string = account.properties.primaryEndpoints.blob

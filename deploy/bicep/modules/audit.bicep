// The audit trail's store: its own storage account, apart from patient data, so that its immutability never blocks an
// erasure and the platform's lifecycle rules never touch it. Records are appended (append blobs) and, under the
// container's time-based retention policy, can be neither changed nor deleted for the retention period; appends stay
// allowed (allowProtectedAppendWrites). The policy is created unlocked: lock it once after the first deployment
// (README, "Audit trail"), after which not even the subscription's owner can shorten it.
param name string
param location string

@description('Days every audit record is kept unchangeable, then deleted.')
@minValue(1)
param retentionDays int

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
    containerDeleteRetentionPolicy: { enabled: true, days: 30 }
  }
}

resource audit 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'audit'
  properties: { publicAccess: 'None' }
}

resource retention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: audit
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: retentionDays
    allowProtectedAppendWrites: true
  }
}

// Once a record's retention has passed it is deleted (the day after: the policy refuses any earlier delete).
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'audit-after-retention'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['appendBlob'], prefixMatch: ['audit/'] }
            actions: { baseBlob: { delete: { daysAfterCreationGreaterThan: retentionDays + 1 } } }
          }
        }
      ]
    }
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob

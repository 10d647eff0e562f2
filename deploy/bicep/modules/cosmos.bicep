param name string
param location string

@allowed(['serverless', 'autoscale'])
param capacityMode string
param autoscaleMaxThroughput int

@description('Reachable only through a private endpoint.')
param privateNetworking bool

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: name
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    // Only Microsoft Entra identities with a data-plane role can read or write.
    disableLocalAuth: true
    publicNetworkAccess: privateNetworking ? 'Disabled' : 'Enabled'
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    // Point-in-time restore for 7 days: also the longest an erased patient's documents survive in a backup.
    backupPolicy: { type: 'Continuous', continuousModeProperties: { tier: 'Continuous7Days' } }
    capabilities: capacityMode == 'serverless' ? [{ name: 'EnableServerless' }] : []
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: 'dental'
  properties: { resource: { id: 'dental' } }
}

resource images 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: database
  name: 'images'
  properties: {
    resource: {
      id: 'images'
      // One patient's images are one logical partition; a patient never approaches 20 GB of metadata.
      partitionKey: { paths: ['/partitionKey'], kind: 'Hash' }
      // Index only what the Catalog's queries filter and sort on; everything else is read by point reads.
      indexingPolicy: {
        indexingMode: 'consistent'
        // Every path a query filters or sorts on (an ORDER BY on an unindexed path fails; a filter on one scans):
        // list and chart (docType, upload.tooth/type, tags, sortKey, deletedAt), recent patients (lastActivityAt), the
        // retention sweep (deletedAt), the corrections' recheck (correction.requestedAt), a clinic's offboarding (partitionKey
        // across partitions).
        includedPaths: [
          { path: '/docType/?' }
          { path: '/partitionKey/?' }
          { path: '/upload/*' }
          { path: '/tags/[]/?' }
          { path: '/correction/requestedAt/?' }
          { path: '/sortKey/?' }
          { path: '/deletedAt/?' }
          { path: '/lastActivityAt/?' }
        ]
        excludedPaths: [{ path: '/*' }]
      }
    }
    options: capacityMode == 'autoscale' ? { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } } : {}
  }
}

output name string = account.name
output endpoint string = account.properties.documentEndpoint

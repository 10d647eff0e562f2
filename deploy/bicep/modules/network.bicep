// Private networking (privateNetworking = true): the Container Apps environment in a virtual network, and
// Storage, Cosmos DB and Service Bus reachable only through private endpoints in it, resolved by private DNS.
param namePrefix string
param location string
@description('Address space of the virtual network; the apps take a /23 of it, the private endpoints a /27.')
param addressPrefix string
param storageAccountName string
param auditAccountName string
param cosmosAccountName string
param serviceBusNamespaceName string
param storageQueues bool

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${namePrefix}-vnet'
  location: location
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        name: 'apps'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 23, 0)
          delegations: [{ name: 'containerapps', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
      {
        name: 'endpoints'
        properties: { addressPrefix: cidrSubnet(addressPrefix, 27, 16) }
      }
    ]
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource audit 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: auditAccountName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' existing = {
  name: cosmosAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusNamespaceName
}

// One private endpoint per service and sub-resource, each with its privatelink DNS zone linked to the network.
var endpoints = concat(
  [
    { name: 'blob', target: storage.id, group: 'blob', zone: 'privatelink.blob.${environment().suffixes.storage}' }
    { name: 'cosmos', target: cosmos.id, group: 'Sql', zone: 'privatelink.documents.azure.com' }
  ],
  storageQueues
    ? [{ name: 'queue', target: storage.id, group: 'queue', zone: 'privatelink.queue.${environment().suffixes.storage}' }]
    : [{ name: 'servicebus', target: serviceBus.id, group: 'namespace', zone: 'privatelink.servicebus.windows.net' }]
)

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for endpoint in endpoints: {
  name: endpoint.zone
  location: 'global'
}]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (endpoint, i) in endpoints: {
  parent: zones[i]
  name: '${namePrefix}-vnet'
  location: 'global'
  properties: { virtualNetwork: { id: vnet.id }, registrationEnabled: false }
}]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [for endpoint in endpoints: {
  name: '${namePrefix}-${endpoint.name}-pe'
  location: location
  properties: {
    subnet: { id: vnet.properties.subnets[1].id }
    privateLinkServiceConnections: [{ name: endpoint.name, properties: { privateLinkServiceId: endpoint.target, groupIds: [endpoint.group] } }]
  }
}]

resource dnsGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [for (endpoint, i) in endpoints: {
  parent: privateEndpoints[i]
  name: 'default'
  properties: { privateDnsZoneConfigs: [{ name: endpoint.name, properties: { privateDnsZoneId: zones[i].id } }] }
}]

// The audit account's blob endpoint, registered in the same privatelink blob zone as the platform's account (endpoints[0]).
resource auditEndpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: '${namePrefix}-audit-blob-pe'
  location: location
  properties: {
    subnet: { id: vnet.properties.subnets[1].id }
    privateLinkServiceConnections: [{ name: 'audit-blob', properties: { privateLinkServiceId: audit.id, groupIds: ['blob'] } }]
  }
}

resource auditDnsGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: auditEndpoint
  name: 'default'
  properties: { privateDnsZoneConfigs: [{ name: 'audit-blob', properties: { privateDnsZoneId: zones[0].id } }] }
}

output appsSubnetId string = vnet.properties.subnets[0].id

param namePrefix string
param location string
param services array

// One identity per service, so each gets only its own permissions.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = [for service in services: {
  name: '${namePrefix}-${service}-id'
  location: location
}]

output resourceIds object = toObject(range(0, length(services)), i => services[i], i => identity[i].id)
output clientIds object = toObject(range(0, length(services)), i => services[i], i => identity[i].properties.clientId)
output principalIds object = toObject(range(0, length(services)), i => services[i], i => identity[i].properties.principalId)

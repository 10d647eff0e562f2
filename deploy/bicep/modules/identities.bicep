param namePrefix string
param location string
param services array

// One identity per service, so each gets only its own permissions.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = [for service in services: {
  name: '${namePrefix}-${service}-id'
  location: location
}]

@description('Each service\'s identity: name, resource id, client id and principal id.')
output identities array = [for (service, i) in services: {
  service: service
  id: identity[i].id
  clientId: identity[i].properties.clientId
  principalId: identity[i].properties.principalId
}]

param namePrefix string
param appInsightsName string
param serviceBusNamespaceName string
param storageAccountName string
@allowed(['ServiceBus', 'StorageQueues'])
param messagingTransport string
@description('Where alerts go (email); none when empty.')
param alertEmail string
@description('Messages waiting in a subscription or the account\'s queues for 15 minutes before it alerts.')
param backlogAlertThreshold int

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: serviceBusNamespaceName
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' existing = {
  parent: account
  name: 'default'
}

resource team 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: '${namePrefix}-ops'
  location: 'global'
  properties: {
    groupShortName: 'dental-ops'
    enabled: true
    emailReceivers: [{ name: 'operations', emailAddress: alertEmail, useCommonAlertSchema: true }]
  }
}

var actions = empty(alertEmail) ? [] : [{ actionGroupId: team.id }]

// A dead letter is an event the platform gave up on: someone must look at it (ops dead-letters list).
resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = if (messagingTransport == 'ServiceBus') {
  name: '${namePrefix}-dead-letters'
  location: 'global'
  properties: {
    description: 'An event was dead-lettered: it can never succeed as it is.'
    severity: 2
    enabled: true
    scopes: [namespace.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [{ criterionType: 'StaticThresholdCriterion', name: 'dead-lettered', metricName: 'DeadletteredMessages', timeAggregation: 'Maximum', operator: 'GreaterThan', threshold: 0 }]
    }
    actions: actions
  }
}

// Work piling up: the consumers are down, failing or cannot keep up.
resource backlog 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-backlog'
  location: 'global'
  properties: {
    description: 'Events have been waiting for 15 minutes.'
    severity: 2
    enabled: true
    scopes: [messagingTransport == 'ServiceBus' ? namespace.id : queueService.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [{
        criterionType: 'StaticThresholdCriterion'
        name: 'backlog'
        metricName: messagingTransport == 'ServiceBus' ? 'ActiveMessages' : 'QueueMessageCount'
        timeAggregation: 'Minimum'
        operator: 'GreaterThan'
        threshold: backlogAlertThreshold
      }]
    }
    actions: actions
  }
}

// Server errors answered to clients (any service): more than a handful in 5 minutes.
resource serverErrors 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-server-errors'
  location: 'global'
  properties: {
    description: 'Requests are failing with 5xx.'
    severity: 1
    enabled: true
    scopes: [appInsights.id]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [{ criterionType: 'StaticThresholdCriterion', name: 'failed-requests', metricName: 'requests/failed', metricNamespace: 'microsoft.insights/components', timeAggregation: 'Count', operator: 'GreaterThan', threshold: 10 }]
    }
    actions: actions
  }
}

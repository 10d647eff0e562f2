using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dental.AzureClients;
using Dental.Catalog;
using Dental.Contracts.Events;
using Dental.Gateway;
using Dental.Messaging;
using Dental.ServiceDefaults.Auth;
using Dental.Thumbnailer;
using Dental.Upload;
using Microsoft.Extensions.Configuration;

namespace Dental.IntegrationTests.Deployment;

/// <summary>The Azure templates compiled and linted by the Bicep CLI, and the facts no compiler checks, read from the ARM JSON.</summary>
public partial class DeploymentTemplateTests
{
    /// <summary>Each service's options classes, by configuration section: what its container app must satisfy.</summary>
    private static readonly Dictionary<string, (Type Options, string Section)[]> OptionsByService = new()
    {
        ["upload"] = [(typeof(AuthOptions), AuthOptions.Section), (typeof(StorageOptions), StorageOptions.Section), (typeof(MessagingOptions), MessagingOptions.Section), (typeof(UploadOptions), UploadOptions.Section)],
        ["thumbnailer"] = [(typeof(AuthOptions), AuthOptions.Section), (typeof(StorageOptions), StorageOptions.Section), (typeof(MessagingOptions), MessagingOptions.Section), (typeof(ThumbnailerOptions), ThumbnailerOptions.Section)],
        ["catalog"] = [(typeof(AuthOptions), AuthOptions.Section), (typeof(StorageOptions), StorageOptions.Section), (typeof(CosmosOptions), CosmosOptions.Section), (typeof(MessagingOptions), MessagingOptions.Section), (typeof(CatalogOptions), CatalogOptions.Section)],
        ["gateway"] = [(typeof(AuthOptions), AuthOptions.Section), (typeof(GatewayOptions), GatewayOptions.Section)],
    };

    private static readonly string[] GatewayClusters = ["upload", "catalog"];

    private static readonly Dictionary<string, string> DocumentedRoleIds = new()
    {
        ["storageBlobDataContributor"] = "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        ["storageBlobDataReader"] = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
        ["storageBlobDelegator"] = "db58b8e5-c6ad-4a2a-8342-4190687cbf4a",
        ["storageQueueDataContributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        ["serviceBusDataSender"] = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
        ["serviceBusDataReceiver"] = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
        ["serviceBusDataOwner"] = "090c5cfd-751d-490a-894a-3ce6f1109419",
        ["monitoringMetricsPublisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
        ["acrPull"] = "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        ["cosmosBuiltInDataContributor"] = "00000000-0000-0000-0000-000000000002",
    };

    /// <summary>Binds the settings a container app gets (computed values replaced by sample values) and validates each options class.</summary>
    private static List<string> Problems(string service, IEnumerable<(string Name, string Value)> settings, string transport = "ServiceBus")
    {
        var values = settings.ToDictionary(
            s => s.Name.Replace("__", ":", StringComparison.Ordinal),
            s => !s.Value.StartsWith('[') ? s.Value
                : s.Name.EndsWith("Attempts", StringComparison.Ordinal) || s.Name.EndsWith("Minutes", StringComparison.Ordinal) ? "5"
                : s.Name.EndsWith("Transport", StringComparison.Ordinal) ? transport
                : s.Name.EndsWith("Retention", StringComparison.Ordinal) ? "30.00:00:00"
                : s.Name.Contains("Networks", StringComparison.Ordinal) ? "10.0.0.0/8"
                : "https://sample.invalid/");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values!).Build();
        var problems = new List<string>();
        foreach (var (type, section) in OptionsByService[service])
        {
            var options = configuration.GetSection(section).Get(type) ?? Activator.CreateInstance(type)!;
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            {
                problems.AddRange(results.Select(r => $"{service}: {r.ErrorMessage}"));
            }
        }

        if (service == "gateway")
        {
            problems.AddRange(GatewayClusters
                .Where(cluster => configuration[$"ReverseProxy:Clusters:{cluster}:Destinations:primary:Address"] is null)
                .Select(cluster => $"gateway: no address for the {cluster} cluster"));
        }

        return problems;
    }

    [Fact]
    public void Every_template_compiles_and_lints_with_no_error_and_no_warning()
    {
        var build = CompiledTemplate.Run("build", Path.Combine(CompiledTemplate.Folder, "main.bicep"), "--stdout");
        Assert.True(build.ExitCode == 0 && build.Diagnostics.Length == 0, build.Diagnostics);

        var files = CompiledTemplate.Files().ToList();
        Assert.Equal(12, files.Count);
        foreach (var file in files)
        {
            var lint = CompiledTemplate.Run("lint", file);
            Assert.True(lint.ExitCode == 0 && lint.Diagnostics.Length == 0, $"{Path.GetFileName(file)}: {lint.Diagnostics}");
        }
    }

    [Fact]
    public void Every_setting_a_service_requires_is_provided_to_its_container_app()
    {
        var settings = CompiledTemplate.ContainerSettings();

        Assert.Equal(OptionsByService.Keys.Order(), settings.Keys.Order());
        foreach (var (service, values) in settings)
        {
            Assert.Empty(Problems(service, values, "ServiceBus"));
            Assert.Empty(Problems(service, values, "StorageQueues"));
            Assert.Contains(values, v => v == ("ASPNETCORE_ENVIRONMENT", "Production"));
            Assert.Contains(values, v => v.Name == "APPLICATIONINSIGHTS_CONNECTION_STRING" && v.Value.StartsWith("[secret", StringComparison.Ordinal));
        }

        var env = (string)App()["properties"]!["template"]!["containers"]![0]!["env"]!;
        Assert.Contains("'AZURE_CLIENT_ID'", env, StringComparison.Ordinal);

        // The check has teeth: without its Cosmos endpoint the catalog would not start.
        Assert.NotEmpty(Problems("catalog", settings["catalog"].Where(v => v.Name != "Cosmos__Endpoint")));
        Assert.NotEmpty(Problems("upload", settings["upload"].Where(v => v.Name != "Messaging__ServiceBus__Endpoint")));
        Assert.NotEmpty(Problems("upload", settings["upload"].Where(v => v.Name != "Messaging__StorageQueues__ServiceUri"), "StorageQueues"));
    }

    [Fact]
    public void Role_ids_are_the_documented_built_in_ids_and_none_is_owner_or_contributor()
    {
        var variables = CompiledTemplate.Module("roles")["variables"]!.AsObject();
        foreach (var (name, id) in DocumentedRoleIds)
        {
            Assert.Equal(id, (string?)variables[name]);
        }

        var text = string.Concat(CompiledTemplate.Files().Select(File.ReadAllText));
        Assert.All(Guid().Matches(text).Select(m => m.Value).Distinct(), g => Assert.Contains(g, DocumentedRoleIds.Values));
    }

    [Fact]
    public void Each_identity_gets_exactly_the_roles_its_service_needs()
    {
        var assignments = CompiledTemplate.Resources(CompiledTemplate.Module("roles"))
            .Where(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments")
            .Select(r => (Principal: Principal().Match((string)r["properties"]!["principalId"]!) is { Success: true } p ? p.Groups[1].Value
                    : ((string)r["properties"]!["principalId"]!).Contains("operatorPrincipalId", StringComparison.Ordinal) ? "operator" : "each",
                Role: RoleVariable().Match((string)r["properties"]!["roleDefinitionId"]!).Groups[1].Value))
            .Order()
            .ToList();

        (string, string)[] expected =
        [
            // The catalog receives images, image-results and patients, announces erasures, and only reads blobs (each is deleted by its owner).
            ("catalog", "serviceBusDataOwner"), ("catalog", "serviceBusDataReceiver"), ("catalog", "serviceBusDataReceiver"), ("catalog", "serviceBusDataReceiver"),
            ("catalog", "serviceBusDataSender"), ("catalog", "storageBlobDataReader"), ("catalog", "storageBlobDataReader"), ("catalog", "storageBlobDelegator"),
            ("each", "acrPull"), ("each", "monitoringMetricsPublisher"), ("each", "storageBlobDataContributor"), ("each", "storageBlobDataReader"), ("each", "storageQueueDataContributor"),
            ("operator", "serviceBusDataReceiver"), ("operator", "serviceBusDataSender"), ("operator", "storageBlobDataContributor"), ("operator", "storageBlobDataReader"),
            // The thumbnailer receives its three subscriptions (images, renditions, patients) and sends to image-results, renditions and patients.
            ("thumbnailer", "serviceBusDataOwner"), ("thumbnailer", "serviceBusDataReceiver"), ("thumbnailer", "serviceBusDataReceiver"), ("thumbnailer", "serviceBusDataReceiver"),
            ("thumbnailer", "serviceBusDataSender"), ("thumbnailer", "serviceBusDataSender"), ("thumbnailer", "serviceBusDataSender"),
            ("thumbnailer", "storageBlobDataContributor"), ("thumbnailer", "storageBlobDataReader"),
            ("upload", "serviceBusDataReceiver"), ("upload", "serviceBusDataSender"), ("upload", "serviceBusDataSender"), ("upload", "storageBlobDataContributor"), ("upload", "storageBlobDataContributor"),
        ];
        Assert.Equal(expected.Order(), assignments);
        // The gateway's only data role: reading the clinic registry, as the upload and catalog services do, on that container alone.
        Assert.DoesNotContain(assignments, a => a.Principal == "gateway");
        var registryReaders = CompiledTemplate.Resources(CompiledTemplate.Module("roles")).Single(r => ((string?)r["name"])?.Contains("clinics", StringComparison.Ordinal) == true && r["copy"] is not null);
        Assert.Contains("createArray('gateway', 'upload', 'catalog')", CompiledTemplate.Text(registryReaders["copy"]!), StringComparison.Ordinal);
        Assert.Contains("'clinics'", CompiledTemplate.Text(registryReaders["scope"]!), StringComparison.Ordinal);
        Assert.Single(CompiledTemplate.Resources(CompiledTemplate.Module("roles")), r => (string?)r["type"] == "Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments");
        // The audit trail is appended to by the gateway, upload and catalog, on its own container only.
        var auditWriters = CompiledTemplate.Resources(CompiledTemplate.Module("roles")).Single(r => r["copy"] is not null && CompiledTemplate.Text(r["scope"]!).Contains("'audit'", StringComparison.Ordinal));
        Assert.Contains("createArray('gateway', 'upload', 'catalog')", CompiledTemplate.Text(auditWriters["copy"]!), StringComparison.Ordinal);
    }

    [Fact]
    public void The_audit_trail_is_its_own_account_immutable_for_six_years_by_default_with_appends_allowed()
    {
        var audit = CompiledTemplate.Module("audit");
        var policy = CompiledTemplate.Resources(audit).Single(r => (string?)r["type"] == "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies");
        Assert.Equal("[parameters('retentionDays')]", (string?)policy["properties"]!["immutabilityPeriodSinceCreationInDays"]);
        Assert.True((bool)policy["properties"]!["allowProtectedAppendWrites"]!);
        Assert.Equal(2190, (int)CompiledTemplate.Root["parameters"]!["auditRetentionDays"]!["defaultValue"]!);
        var account = CompiledTemplate.Resources(audit).Single(r => (string?)r["type"] == "Microsoft.Storage/storageAccounts");
        Assert.False((bool)account["properties"]!["allowSharedKeyAccess"]!);
        // Apart from patient data: the platform's account has no audit container, and its lifecycle rules never reach this one.
        Assert.DoesNotContain(CompiledTemplate.Resources(CompiledTemplate.Module("storage")), r => ((string?)r["name"])?.Contains("audit", StringComparison.Ordinal) == true);
        Assert.Contains("Audit__BlobServiceUri", CompiledTemplate.Text(CompiledTemplate.Module("containerapps")["variables"]!), StringComparison.Ordinal);
    }

    [Fact]
    public void The_catalog_container_indexes_every_path_its_queries_filter_or_sort_on()
    {
        var container = CompiledTemplate.Resources(CompiledTemplate.Module("cosmos")).Single(r => (string?)r["type"] == "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
        var included = container["properties"]!["resource"]!["indexingPolicy"]!["includedPaths"]!.AsArray().Select(p => (string)p!["path"]!).ToList();
        // ImageQuery (docType, upload.tooth, upload.type, ARRAY_CONTAINS tags, deletedAt, ORDER BY sortKey), PatientActivity.Recent (ORDER BY
        // lastActivityAt), DocumentStore.DeletedBeforeAsync (deletedAt), CorrectionsPendingSinceAsync (correction.requestedAt) and
        // DeleteClinicAsync (STARTSWITH partitionKey).
        Assert.Subset(included.ToHashSet(), new HashSet<string>
        {
            "/docType/?", "/upload/*", "/tags/[]/?", "/sortKey/?", "/deletedAt/?", "/lastActivityAt/?", "/partitionKey/?", "/correction/requestedAt/?",
        });
    }

    [Fact]
    public void Azure_keeps_no_copy_of_an_erased_patients_data_past_the_deadline_the_template_states()
    {
        var storage = CompiledTemplate.Resources(CompiledTemplate.Module("storage")).ToList();
        var blobService = storage.Single(r => (string?)r["type"] == "Microsoft.Storage/storageAccounts/blobServices")["properties"]!;
        // No versions (they would keep every erased blob with no end date); deleted blobs are kept for the parameter's days, then gone.
        Assert.False((bool)blobService["isVersioningEnabled"]!);
        Assert.True((bool)blobService["deleteRetentionPolicy"]!["enabled"]!);
        Assert.Equal("[parameters('blobSoftDeleteDays')]", (string?)blobService["deleteRetentionPolicy"]!["days"]);
        Assert.Equal(7, (int)CompiledTemplate.Root["parameters"]!["blobSoftDeleteDays"]!["defaultValue"]!);
        // The backstop should versions or snapshots ever appear: none lasts a day in any container of patient data.
        var rules = storage.Single(r => (string?)r["type"] == "Microsoft.Storage/storageAccounts/managementPolicies")["properties"]!["policy"]!["rules"]!.AsArray();
        var backstop = rules.Single(r => (string?)r!["name"] == "no-lasting-copies")!["definition"]!;
        Assert.Equal(["originals/", "previews/", "upload-records/"], backstop["filters"]!["prefixMatch"]!.AsArray().Select(p => (string)p!));
        Assert.Equal(1, (int)backstop["actions"]!["version"]!["delete"]!["daysAfterCreationGreaterThan"]!);
        Assert.Equal(1, (int)backstop["actions"]!["snapshot"]!["delete"]!["daysAfterCreationGreaterThan"]!);
        // Cosmos DB's point-in-time backups reach back 7 days; logs (opaque ids only) are kept for logRetentionDays (30 by default).
        var cosmos = CompiledTemplate.Resources(CompiledTemplate.Module("cosmos")).Single(r => (string?)r["type"] == "Microsoft.DocumentDB/databaseAccounts");
        Assert.Equal("Continuous7Days", (string?)cosmos["properties"]!["backupPolicy"]!["continuousModeProperties"]!["tier"]);
        var logs = CompiledTemplate.Resources(CompiledTemplate.Module("monitoring")).Single(r => (string?)r["type"] == "Microsoft.OperationalInsights/workspaces");
        Assert.Equal("[parameters('retentionDays')]", (string?)logs["properties"]!["retentionInDays"]);
        Assert.Equal(30, (int)CompiledTemplate.Root["parameters"]!["logRetentionDays"]!["defaultValue"]!);
        Assert.Equal("[max(parameters('blobSoftDeleteDays'), 7, parameters('logRetentionDays'))]", (string?)CompiledTemplate.Root["outputs"]!["erasureDeadlineDays"]!["value"]);
    }

    [Theory]
    [InlineData("ServiceBus")]
    [InlineData("StorageQueues")]
    public void The_event_consumers_scale_on_the_backlog_of_the_chosen_transport_with_their_own_identity(string transport)
    {
        var variables = CompiledTemplate.Module("containerapps")["variables"]!.AsObject();
        Assert.Contains("variables('backlogRules')[parameters('messagingTransport')]", CompiledTemplate.Text(variables["rules"]!), StringComparison.Ordinal);
        var queues = string.Join(' ', CompiledTemplate.Resources(CompiledTemplate.Module("storage")).Select(r => (string)r["name"]!));
        var subscriptions = CompiledTemplate.Resources(CompiledTemplate.Module("servicebus"))
            .Where(r => (string?)r["type"] == "Microsoft.ServiceBus/namespaces/topics/subscriptions")
            .SelectMany(r => Literal().Matches((string)r["name"]!).Select(m => m.Groups[1].Value)).ToList();

        foreach (var service in new[] { "thumbnailer", "catalog" })
        {
            var rule = variables["backlogRules"]![transport]![service]!.AsObject();
            if (transport == "ServiceBus")
            {
                Assert.Equal("azure-servicebus", (string?)rule["custom"]!["type"]);
                Assert.Contains($"parameters('identityIds').{service}", (string)rule["custom"]!["identity"]!, StringComparison.Ordinal);
                Assert.Contains(service, subscriptions);
                Assert.Equal(Topics.Images, (string?)variables["backlog"]![service]!["topic"]);
            }
            else
            {
                var queue = (string)variables["backlog"]![service]!["queue"]!;
                Assert.Equal($"{Topics.Images}-{service}", queue);
                Assert.Contains($"'{queue}'", queues, StringComparison.Ordinal);
                Assert.Contains($"parameters('identityIds').{service}", (string)rule["azureQueue"]!["identity"]!, StringComparison.Ordinal);
            }
        }

        var scale = App()["properties"]!["template"]!["scale"]!.AsObject();
        Assert.Contains("parameters('replicas')", (string)scale["minReplicas"]!, StringComparison.Ordinal);
        Assert.Contains("parameters('replicas')", (string)scale["maxReplicas"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Operators_are_alerted_on_dead_letters_backlog_and_server_errors()
    {
        var alerts = CompiledTemplate.Resources(CompiledTemplate.Module("alerts"))
            .Where(r => (string?)r["type"] == "Microsoft.Insights/metricAlerts")
            .ToDictionary(r => (string)r["name"]!, r => CompiledTemplate.Text(r));

        Assert.Contains("DeadletteredMessages", alerts.Single(a => a.Key.Contains("dead-letters", StringComparison.Ordinal)).Value, StringComparison.Ordinal);
        var backlog = alerts.Single(a => a.Key.Contains("backlog", StringComparison.Ordinal)).Value;
        Assert.Contains("ActiveMessages", backlog, StringComparison.Ordinal);
        Assert.Contains("QueueMessageCount", backlog, StringComparison.Ordinal);
        Assert.Contains("requests/failed", alerts.Single(a => a.Key.Contains("server-errors", StringComparison.Ordinal)).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void With_private_networking_the_data_services_close_their_public_endpoints_and_answer_in_the_network()
    {
        string Text(string module, string type) => CompiledTemplate.Text(CompiledTemplate.Resources(CompiledTemplate.Module(module)).Single(r => (string?)r["type"] == type));

        Assert.Contains("[if(parameters('privateNetworking'), 'Disabled', 'Enabled')]", Text("storage", "Microsoft.Storage/storageAccounts"), StringComparison.Ordinal);
        Assert.Contains("[if(parameters('privateNetworking'), 'Disabled', 'Enabled')]", Text("cosmos", "Microsoft.DocumentDB/databaseAccounts"), StringComparison.Ordinal);
        var serviceBus = Text("servicebus", "Microsoft.ServiceBus/namespaces");
        Assert.Contains("[if(parameters('privateNetworking'), 'Disabled', 'Enabled')]", serviceBus, StringComparison.Ordinal);
        Assert.Contains("Premium", serviceBus, StringComparison.Ordinal);
        var endpoints = CompiledTemplate.Text(CompiledTemplate.Module("network")["variables"]!);
        foreach (var group in new[] { "'blob'", "'Sql'", "'queue'", "'namespace'" })
        {
            Assert.Contains(group, endpoints, StringComparison.Ordinal);
        }

        Assert.Contains("infrastructureSubnetId", CompiledTemplate.Text(CompiledTemplate.Resources(CompiledTemplate.Module("containerapps")).Single(r => (string?)r["type"] == "Microsoft.App/managedEnvironments")), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_gateway_is_external_and_nothing_accepts_plain_http()
    {
        var ingress = App()["properties"]!["configuration"]!["ingress"]!.AsObject();

        Assert.Contains("'gateway'", (string)ingress["external"]!, StringComparison.Ordinal);
        Assert.False((bool)ingress["allowInsecure"]!);
        Assert.DoesNotContain(CompiledTemplate.Module("containerapps")["outputs"]!.AsObject(), o => o.Key.Contains("secret", StringComparison.OrdinalIgnoreCase) || CompiledTemplate.Text(o.Value!).Contains("listKeys", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_existing_resource_a_template_relies_on_is_declared_somewhere()
    {
        var declared = CompiledTemplate.AllResources()
            .SelectMany(r => Literal().Matches((string)r["name"]!).Select(m => ((string)r["type"]!, m.Groups[1].Value)).Append(((string)r["type"]!, CompiledTemplate.LiteralName((string)r["name"]!) ?? "")))
            .ToHashSet();
        // Module outputs are read through reference(resourceId('Microsoft.Resources/deployments', …)): the compiler checks those.
        var references = CompiledTemplate.ReferencedResources()
            .Where(r => r.Type is not ("Microsoft.Authorization/roleDefinitions" or "Microsoft.Resources/deployments")).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(declared.Contains(r), $"a template relies on {r.Type} '{r.Name}', which no template declares"));
        Assert.Contains(("Microsoft.ServiceBus/namespaces/topics/subscriptions", "thumbnailer"), references);
        Assert.Contains(("Microsoft.ServiceBus/namespaces/topics", "renditions"), references);
        Assert.Contains(("Microsoft.Storage/storageAccounts/blobServices/containers", "originals"), references);
    }

    private static JsonObject App() =>
        CompiledTemplate.Resources(CompiledTemplate.Module("containerapps")).Single(r => (string?)r["type"] == "Microsoft.App/containerApps");

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();

    [GeneratedRegex(@"^\[parameters\('principals'\)\.(\w+)\]$")]
    private static partial Regex Principal();

    [GeneratedRegex(@"variables\('(\w+)'\)")]
    private static partial Regex RoleVariable();

    [GeneratedRegex(@"'([\w-]+)'")]
    private static partial Regex Literal();
}

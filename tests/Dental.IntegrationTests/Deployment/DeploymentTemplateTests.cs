using System.ComponentModel.DataAnnotations;
using Dental.AzureClients;
using Dental.Catalog;
using Dental.Gateway;
using Dental.Messaging;
using Dental.ServiceDefaults.Auth;
using Dental.Thumbnailer;
using Dental.Upload;
using Microsoft.Extensions.Configuration;

namespace Dental.IntegrationTests.Deployment;

/// <summary>What can be checked of the Bicep without a compiler: settings, role ids, references.</summary>
public class DeploymentTemplateTests
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
        ["storageQueueDataContributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        ["serviceBusDataSender"] = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
        ["serviceBusDataReceiver"] = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
        ["acrPull"] = "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        ["cosmosBuiltInDataContributor"] = "00000000-0000-0000-0000-000000000002",
    };

    /// <summary>Binds the settings a container app gets (Bicep expressions replaced by sample values) and validates each options class.</summary>
    private static List<string> Problems(string service, IEnumerable<(string Name, string Value)> settings, string transport = "ServiceBus")
    {
        var values = settings.ToDictionary(
            s => s.Name.Replace("__", ":", StringComparison.Ordinal),
            s => s.Value.StartsWith('\'') ? s.Value.Trim('\'')
                : s.Name.EndsWith("Attempts", StringComparison.Ordinal) ? "5"
                : s.Name.EndsWith("Transport", StringComparison.Ordinal) ? transport
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
    public void Every_setting_a_service_requires_is_provided_to_its_container_app()
    {
        var settings = BicepTemplates.ContainerSettings();

        Assert.Equal(OptionsByService.Keys.Order(), settings.Keys.Order());
        foreach (var (service, values) in settings)
        {
            Assert.Empty(Problems(service, values, "ServiceBus"));
            Assert.Empty(Problems(service, values, "StorageQueues"));
            Assert.Contains(values, v => v.Name == "AZURE_CLIENT_ID");
            Assert.Contains(values, v => v.Name == "ASPNETCORE_ENVIRONMENT" && v.Value == "'Production'");
        }

        // The check has teeth: without its Cosmos endpoint the catalog would not start.
        Assert.NotEmpty(Problems("catalog", settings["catalog"].Where(v => v.Name != "Cosmos__Endpoint")));
        Assert.NotEmpty(Problems("upload", settings["upload"].Where(v => v.Name != "Messaging__ServiceBus__Endpoint")));
        Assert.NotEmpty(Problems("upload", settings["upload"].Where(v => v.Name != "Messaging__StorageQueues__ServiceUri"), "StorageQueues"));
    }

    [Fact]
    public void Role_ids_are_the_documented_built_in_ids()
    {
        var variables = BicepTemplates.StringVariables(BicepTemplates.Read("modules/roles.bicep"));
        foreach (var (name, id) in DocumentedRoleIds)
        {
            Assert.True(variables.TryGetValue(name, out var actual), $"roles.bicep has no {name}");
            Assert.Equal(id, actual);
        }

        var everyGuid = BicepTemplates.All().SelectMany(f => BicepTemplates.Guids(File.ReadAllText(f))).Distinct();
        Assert.All(everyGuid, g => Assert.Contains(g, DocumentedRoleIds.Values));
    }

    [Fact]
    public void Modules_outputs_and_params_referenced_by_main_exist()
    {
        var main = BicepTemplates.Read("main.bicep");
        var modules = BicepTemplates.Modules(main).ToDictionary(m => m.Name, m => BicepTemplates.Read(m.Path));
        Assert.Equal(8, modules.Count);
        foreach (var (module, output) in BicepTemplates.OutputReferences(main))
        {
            Assert.True(modules.ContainsKey(module), $"main.bicep uses outputs of an unknown module {module}");
            Assert.Contains(output, BicepTemplates.Outputs(modules[module]));
        }

        foreach (var (module, text) in modules)
        {
            var declared = BicepTemplates.Params(text);
            var passed = BicepTemplates.PassedParams(main, module);
            Assert.All(passed, p => Assert.True(declared.ContainsKey(p), $"{module} has no param {p}"));
            Assert.All(declared.Where(d => !d.Value).Select(d => d.Key), p => Assert.True(passed.Contains(p), $"{module} needs param {p}"));
        }
    }

    [Fact]
    public void Every_existing_resource_a_template_relies_on_is_declared_somewhere()
    {
        var declared = BicepTemplates.DeclaredResources();
        var references = BicepTemplates.ExistingReferences().ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(declared.Contains((r.Type, r.Name)), $"{r.File} relies on {r.Type} '{r.Name}', which no template declares"));
        Assert.Contains(("Microsoft.ServiceBus/namespaces/topics/subscriptions", "thumbnailer"), declared);
        Assert.Contains(("Microsoft.Storage/storageAccounts/blobServices/containers", "originals"), declared);
    }
}

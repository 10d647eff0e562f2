using Dental.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
var settings = AppHostSettings.From(builder.Configuration);
settings.PrepareDataDirectory();

var storage = builder.AddAzurite(settings);
var cosmos = builder.AddCosmosEmulator(settings);
var webClient = builder.AddWebClientBuild(settings);

var catalog = builder.AddDentalService<Projects.Dental_Catalog>("catalog", settings)
    .WithStorage(storage).WithCosmos(cosmos);
// A duplicate upload asks the catalog for the stored image's status (by name, through service discovery).
var upload = builder.AddDentalService<Projects.Dental_Upload>("upload", settings)
    .WithStorage(storage).WithReference(catalog);
builder.AddDentalService<Projects.Dental_Thumbnailer>("thumbnailer", settings)
    .WithStorage(storage);
builder.AddDentalService<Projects.Dental_Gateway>("gateway", settings, settings.GatewayPort)
    .WithBlobStorage(storage)
    .WithBackend(upload).WithBackend(catalog)
    .WithWebClient(webClient, settings)
    .WithExternalHttpEndpoints();

builder.Services.AddWelcomeMessage(settings);
if (!PortGuard.AllFree(settings, builder.Configuration))
{
    return 1;
}

await builder.Build().RunAsync();
return 0;

using Dental.Catalog;
using Dental.Catalog.Api;
using Dental.ServiceDefaults;
using Dental.ServiceDefaults.OpenApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCatalogServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapContractOpenApi();
app.MapCatalogApi();
app.Run();

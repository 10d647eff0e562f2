using Dental.Catalog;
using Dental.Catalog.Api;
using Dental.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCatalogServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi();
app.MapCatalogApi();
app.Run();

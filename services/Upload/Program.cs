using Dental.ServiceDefaults;
using Dental.ServiceDefaults.OpenApi;
using Dental.Upload;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddUploadServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapContractOpenApi();
app.MapUploadApi();
app.Run();

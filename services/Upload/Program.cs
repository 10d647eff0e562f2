using Dental.ServiceDefaults;
using Dental.ServiceDefaults.OpenApi;
using Dental.Upload;
using Dental.Upload.Resumable;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddUploadServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapContractOpenApi();
app.MapUploadApi();
app.MapResumableUploadApi();
app.Run();

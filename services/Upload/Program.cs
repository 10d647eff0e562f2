using Dental.ServiceDefaults;
using Dental.Upload;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddUploadServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapOpenApi();
app.MapUploadApi();
app.Run();

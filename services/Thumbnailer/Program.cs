using Dental.ServiceDefaults;
using Dental.Thumbnailer;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddThumbnailerServices();

var app = builder.Build();
app.UseServiceDefaults();
app.Run();

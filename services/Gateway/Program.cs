using Dental.Gateway;
using Dental.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
app.UseGatewayEdge();
app.UseServiceDefaults();
app.MapGateway();
app.Run();

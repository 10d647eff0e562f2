using Dental.Gateway;
using Dental.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
app.UseGatewayEdge();
// Rate limits count every request, refused ones (401, 403) included, keyed by user or client address.
app.UseServiceDefaults(afterAuthentication: edge => edge.UseRateLimiter());
app.MapGateway();
app.Run();

using Funnel.Gateway;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddFunnelAuthentication();
builder.AddPerUserRateLimit();
builder.AddConfiguredCors();
// The services' own limit; the import route raises it (PublicRoutes), and BodyLimit refuses a body over it.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = BodyLimit.DefaultMaxBytes);

// The services check the token again behind the gateway.
builder.Services.AddReverseProxy()
    .LoadFromMemory(PublicRoutes.Routes(), PublicRoutes.Clusters())
    .AddServiceDiscoveryDestinationResolver();

var services = PublicRoutes.Services.Select(s => s.Name).ToList();
builder.AddDownstreamHealthChecks(services);
builder.Services.AddOutputCache();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseOutputCache();

app.MapDefaultEndpoints();
app.MapDownstreamHealth();
app.MapReverseProxy(proxy =>
{
    // A body declared larger than the route allows is refused here, before forwarding starts; otherwise the gateway
    // and the service would race to refuse it mid-stream and the caller could see a 502 instead of a 413.
    proxy.Use(BodyLimit.RefuseDeclaredOversizeAsync);
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
});

// The API documentation of every service, browsable here: each service's OpenAPI document is routed to
// /openapi/{service}.json (PublicRoutes), and Scalar shows them together.
app.MapScalarApiReference("/scalar", options =>
{
    options.WithTitle("Funnel API");
    foreach (var service in services)
    {
        options.AddDocument(service, service, $"/openapi/{service}.json");
    }
}).AllowAnonymous();
app.MapGet("/", () => Results.Redirect("/scalar")).ExcludeFromDescription().AllowAnonymous();

app.Run();

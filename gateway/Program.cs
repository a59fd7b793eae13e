using Funnel.Gateway;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddFunnelAuthentication();
builder.AddPerUserRateLimit();
builder.AddConfiguredCors();
// The services' own limit; the import route raises it (appsettings.json), and BodyLimit refuses a body over it.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = BodyLimit.DefaultMaxBytes);

// Routes and clusters are in appsettings.json; cluster addresses are service names resolved by service discovery,
// which balances across a service's replicas. The API routes need a valid token (the fallback policy) and are rate
// limited per user; the services check the token again.
builder.Services.AddReverseProxy()
    .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
    .AddServiceDiscoveryDestinationResolver();

var services = builder.Configuration.GetSection("Gateway:Services").Get<string[]>() ?? [];
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
// /openapi/{service}.json (appsettings.json), and Scalar shows them together.
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

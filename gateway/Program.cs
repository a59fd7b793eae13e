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

builder.AddDownstreamHealthChecks(PublicRoutes.Services.Select(s => s.Name));
builder.Services.AddOutputCache();
ApiDocument.AddClients(builder.Services);
builder.Services.AddSingleton<ApiDocument>();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
// The web app (web/, built into wwwroot): its files for anyone.
app.UseWebAppFiles();
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

// The one public API document, joined from the services' own, and Scalar to browse it and try every route with a
// token pasted in (the bearer scheme it declares).
app.MapGet(ApiDocument.Path, (ApiDocument document, HttpRequest request, CancellationToken cancellationToken) =>
    document.GetAsync(request, cancellationToken)).ExcludeFromDescription().AllowAnonymous();
app.MapScalarApiReference("/scalar", options =>
{
    options.WithTitle("Funnel API");
    options.AddDocument("v1", "Funnel API", ApiDocument.Path);
    options.AddPreferredSecuritySchemes("bearer");
}).AllowAnonymous();
app.MapWebAppPages();
app.MapSignInConfig(builder.Configuration);


app.Run();

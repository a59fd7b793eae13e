namespace Funnel.Gateway;

/// <summary>
/// The reference front end (<c>web/</c>, built into this project's <c>wwwroot</c> by its build) and, in a local run
/// only, its sign-in: the development issuer's token endpoint behind the gateway, so the browser needs no other origin.
/// </summary>
internal static class WebApp
{
    /// <summary>
    /// Serves the app's files to anyone: before authentication, since the fallback policy (a token for everything)
    /// would otherwise hold back every script of the page that signs in.
    /// </summary>
    public static void UseWebAppFiles(this WebApplication app)
    {
        if (Built(app))
        {
            app.UseDefaultFiles();
            app.UseStaticFiles();
        }
    }

    /// <summary>
    /// The app is one page at <c>/</c> (it routes by the URL's hash, so no other path needs it); without a built app,
    /// <c>/</c> leads to the API reference.
    /// </summary>
    public static void MapWebAppPages(this WebApplication app)
    {
        if (!Built(app))
        {
            app.MapGet("/", () => Results.Redirect("/scalar")).ExcludeFromDescription().AllowAnonymous();
        }
    }

    private static bool Built(WebApplication app) =>
        File.Exists(Path.Combine(app.Environment.WebRootPath ?? "", "index.html"));

    /// <summary>
    /// <c>GET /dev/sign-in</c> says the local sign-in is offered; <c>POST /dev/token</c> asks the development issuer
    /// for a token. Mapped only when the AppHost names that issuer (<c>DevIssuer:Url</c>), which it never does when it
    /// publishes a deployment or trusts a company's provider.
    /// </summary>
    public static void MapDevSignIn(this WebApplication app, IConfiguration configuration)
    {
        if (configuration["DevIssuer:Url"] is not { Length: > 0 } issuer)
        {
            return;
        }
        app.MapGet("/dev/sign-in", () => Results.Ok(new { issuer })).ExcludeFromDescription().AllowAnonymous();
        app.MapPost("/dev/token", async (HttpRequest request, IHttpClientFactory clients, CancellationToken cancellationToken) =>
        {
            using var body = new StreamContent(request.Body);
            body.Headers.ContentType = new("application/json");
            using var answer = await clients.CreateClient().PostAsync($"{issuer}/token", body, cancellationToken);
            return Results.Text(await answer.Content.ReadAsStringAsync(cancellationToken),
                answer.Content.Headers.ContentType?.ToString(), statusCode: (int)answer.StatusCode);
        }).ExcludeFromDescription().AllowAnonymous();
    }
}

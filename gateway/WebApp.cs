namespace Funnel.Gateway;

/// <summary>
/// The reference front end (<c>web/</c>, built into this project's <c>wwwroot</c> by its build) and where it signs in.
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
    /// <c>GET /auth/config</c>: where the web app signs in (the OpenID Connect issuer the API trusts, whose discovery
    /// document names its sign-in page) and as which client (<c>Auth:WebClientId</c>, a public client with PKCE whose
    /// redirect URI is this gateway's <c>/</c>). Locally that issuer is the development issuer.
    /// </summary>
    public static void MapSignInConfig(this WebApplication app, IConfiguration configuration) =>
        app.MapGet("/auth/config", () => Results.Ok(new
        {
            authority = configuration["Auth:Authority"],
            clientId = configuration["Auth:WebClientId"] ?? "funnel-web",
            scope = configuration["Auth:WebScope"] ?? "openid",
        })).ExcludeFromDescription().AllowAnonymous();
}

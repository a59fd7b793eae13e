using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Funnel.AppHost;

/// <summary>
/// Who issues the tokens the gateway and the services accept. A configured OpenID Connect provider
/// (<c>Auth:Authority</c>; in publish mode the <c>auth-authority</c> parameter) wins; else the local run starts the
/// development issuer (<c>dev-issuer/</c>), whose private key stays in its own process and the data folder (mode
/// 0600), on a port kept in the data folder so its tokens outlive a restart. The services get the authority only.
/// </summary>
public sealed class Identity
{
    public const string Audience = "funnel-api";
    public const string DevIssuerName = "dev-issuer";

    private readonly Action<IResourceBuilder<ProjectResource>> _apply;

    private Identity(Action<IResourceBuilder<ProjectResource>> apply, string? devIssuerUrl)
    {
        _apply = apply;
        DevIssuerUrl = devIssuerUrl;
    }

    /// <summary>The development issuer's address, when this run has one.</summary>
    public string? DevIssuerUrl { get; }

    public static Identity Add(IDistributedApplicationBuilder builder, string dataPath, bool publishing)
    {
        var audience = builder.Configuration["Auth:Audience"] ?? Audience;
        if (publishing)
        {
            var authority = builder.AddParameter("auth-authority");
            return new Identity(project => project
                .WithEnvironment("Auth__Authority", authority)
                .WithEnvironment("Auth__Audience", audience), devIssuerUrl: null);
        }
        if (builder.Configuration["Auth:Authority"] is { Length: > 0 } configured)
        {
            var requireHttps = builder.Configuration.GetValue("Auth:RequireHttpsMetadata", true).ToString();
            return new Identity(project => project
                .WithEnvironment("Auth__Authority", configured)
                .WithEnvironment("Auth__Audience", audience)
                .WithEnvironment("Auth__RequireHttpsMetadata", requireHttps), devIssuerUrl: null);
        }

        var folder = Path.Combine(dataPath, DevIssuerName);
        var url = $"http://localhost:{Port(builder.Configuration, folder)}";
        var issuer = builder.AddProject<Projects.DevIssuer>(DevIssuerName, options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(port: new Uri(url).Port, name: "http", isProxied: false)
            .WithEnvironment("Issuer__Url", url)
            .WithEnvironment("Issuer__Audience", audience)
            .WithEnvironment("Issuer__KeyFile", Path.Combine(folder, "signing-key.pem"))
            .WithHttpHealthCheck("/health");
        return new Identity(project => project
            .WithEnvironment("Auth__Authority", url)
            .WithEnvironment("Auth__Audience", audience)
            // A local issuer over plain HTTP; a real provider's metadata is fetched over HTTPS only.
            .WithEnvironment("Auth__RequireHttpsMetadata", "false")
            .WaitFor(issuer), url);
    }

    public IResourceBuilder<ProjectResource> Trust(IResourceBuilder<ProjectResource> project)
    {
        _apply(project);
        return project;
    }

    /// <summary>A manager's token for the dashboard's commands, from the development issuer.</summary>
    public static async Task<string> OperatorTokenAsync(string devIssuerUrl, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var answer = await http.PostAsJsonAsync($"{devIssuerUrl}/token",
            new { user = "apphost-operator", role = "manager", hours = 0.1 }, cancellationToken);
        answer.EnsureSuccessStatusCode();
        var body = await answer.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return body!["access_token"]!.GetValue<string>();
    }

    private static int Port(IConfiguration configuration, string folder)
    {
        if (configuration.GetValue<int?>("Funnel:DevIssuerPort") is { } configured)
        {
            return configured;
        }
        var file = Path.Combine(folder, "port");
        if (File.Exists(file) && int.TryParse(File.ReadAllText(file), out var kept))
        {
            return kept;
        }
        Directory.CreateDirectory(folder);
        var port = LocalPorts.Free();
        File.WriteAllText(file, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return port;
    }
}

using System.Diagnostics;
using System.Text.Json;
using Funnel.AppHost;

namespace Funnel.EndToEndTests;

/// <summary>What a deployment is built from: the AppHost's published model and the Kubernetes manifests.</summary>
public class DeploymentTests
{
    /// <summary>The checkout: the folder above the AppHost's that holds the solution.</summary>
    internal static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(Projects.AppHost.ProjectPath);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Funnel.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("No Funnel.sln above the AppHost.");
    }

    [Fact(Timeout = 180_000)]
    public async Task The_published_model_names_connection_strings_and_parameters_and_nothing_of_this_machine()
    {
        // Written in the checkout, as a deployment's would be: projects are named by paths relative to it.
        var manifestPath = Path.Combine(Root, "obj", $"manifest-{Guid.NewGuid():N}", "manifest.json");
        var (exit, log) = await RunAsync("dotnet", ["run", "--no-build", "--project", Projects.AppHost.ProjectPath,
            "--", "--publisher", "manifest", "--output-path", manifestPath], Root);
        Assert.True(exit == 0 && File.Exists(manifestPath), $"The publisher failed ({exit}):\n{log}");

        var text = await File.ReadAllTextAsync(manifestPath, Api.Cancel);
        var resources = JsonDocument.Parse(text).RootElement.GetProperty("resources");
        var types = resources.EnumerateObject().ToDictionary(r => r.Name, r => r.Value.GetProperty("type").GetString());

        Assert.DoesNotContain("executable.v0", types.Values);
        Assert.All(new[] { "leads", "qualification", "quoting", "orders", "pipeline", "gateway" },
            project => Assert.StartsWith("project.", types[project]));
        Assert.All(new[] { "messaging", "leads-db", "qualification-db", "quoting-db", "orders-db", "pipeline-db" },
            connection => Assert.Equal("parameter.v0", types[connection]));
        // The company's OpenID Connect provider is a parameter; the development issuer is no part of a deployment.
        Assert.Equal("parameter.v0", types["auth-authority"]);
        Assert.DoesNotContain(Identity.DevIssuerName, types.Keys);
        // No path of the machine that ran it: the checkout, the temporary folder, a data folder, a gate file; the
        // projects by paths within the checkout.
        Assert.DoesNotContain(Root, text);
        foreach (var project in resources.EnumerateObject().Where(r => r.Value.TryGetProperty("path", out _)))
        {
            var path = project.Value.GetProperty("path").GetString()!;
            Assert.False(Path.IsPathRooted(path), path);
            Assert.StartsWith(Root + "/", Path.GetFullPath(Path.Combine(Path.GetDirectoryName(manifestPath)!, path)));
        }
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), text);
        Assert.DoesNotContain(".data", text);
        Assert.DoesNotContain("Gate__File", text);
        // No key: no process of a deployment can sign a token.
        Assert.DoesNotContain("PRIVATE KEY", text);
        Assert.DoesNotContain("SigningKey", text);
    }

    [Fact(Timeout = 300_000)]
    public async Task The_API_document_lints_clean_and_the_typescript_client_matches_it_and_type_checks()
    {
        var (exit, log) = await RunAsync("bash", [Path.Combine(Root, "clients", "typescript", "check.sh")], Root);
        TestContext.Current.TestOutputHelper?.WriteLine(log);
        Assert.True(exit == 0, log);
        Assert.Contains("client: lint, generation and type-check passed", log);
    }

    [Fact(Timeout = 300_000)]
    public async Task The_kubernetes_overlay_renders_and_every_object_passes_its_schema()
    {
        var (exit, log) = await RunAsync("bash", [Path.Combine(Root, "deploy", "validate", "validate.sh")], Root);
        TestContext.Current.TestOutputHelper?.WriteLine(log);
        Assert.True(exit == 0, log);
        Assert.Matches(@"validate: \d+ passed, 0 failed", log);
    }

    [Fact(Timeout = 180_000)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_runtime_that_answers_but_cannot_run_containers_stops_the_run_at_once_naming_the_resource()
    {
        // A stand-in for a runtime that answers `info` but can neither pull nor run (offline, or without the rights).
        var stub = Directory.CreateTempSubdirectory("funnel-docker-").FullName;
        var docker = Path.Combine(stub, "docker");
        await File.WriteAllTextAsync(docker, """
            #!/bin/sh
            case "$1" in
              info) exit 0 ;;
              *) echo "Error response from daemon: pull access denied (stand-in runtime)" >&2; exit 125 ;;
            esac
            """, Api.Cancel);
        File.SetUnixFileMode(docker, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var data = Directory.CreateTempSubdirectory("funnel-containers-").FullName;

        var clock = Stopwatch.StartNew();
        var (exit, log) = await RunAsync("dotnet", ["run", "--no-build", "--project", Projects.AppHost.ProjectPath, "--",
            $"--Funnel:DataPath={data}"], Root,
            new Dictionary<string, string> { ["PATH"] = $"{stub}:{Environment.GetEnvironmentVariable("PATH")}" },
            within: TimeSpan.FromMinutes(2));
        Figures.Print("containers that cannot run", ("exit code", exit), ("seconds to the answer", Math.Round(clock.Elapsed.TotalSeconds, 1)));

        Assert.NotEqual(0, exit);
        Assert.Contains("resource 'messaging' cannot run", log);
        Assert.Contains("pull access denied", log);
        Assert.Contains("Funnel:UseContainers=false", log);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"The answer took {clock.Elapsed}.");
    }

    internal static async Task<(int Exit, string Log)> RunAsync(string command, IEnumerable<string> arguments,
        string workingDirectory, IDictionary<string, string>? environment = null, TimeSpan? within = null)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Api.Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Api.Cancel);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Api.Cancel);
        limit.CancelAfter(within ?? TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!Api.Cancel.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{command} did not end within {within}: " + await stdout + await stderr);
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}

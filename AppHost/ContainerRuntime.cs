using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Funnel.AppHost;

/// <summary>
/// Whether a container runtime answers, and whether it can run what the model asks of it. Asked before the model is
/// built and before it runs: a container resource the runtime cannot start makes the orchestrator wait for minutes and
/// end in a cancellation that names nothing.
/// </summary>
internal static class ContainerRuntime
{
    private static readonly TimeSpan InfoWithin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PullWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RunWithin = TimeSpan.FromSeconds(30);

    /// <summary>The runtime's command (<c>docker</c> or <c>podman</c>) when one answers and containers are wanted.</summary>
    public static string? Answering(IConfiguration configuration)
    {
        if (configuration.GetValue<bool?>("Funnel:UseContainers") is { } configured)
        {
            return configured ? "docker" : null;
        }
        return new[] { "docker", "podman" }.FirstOrDefault(cli => Run(cli, ["info"], InfoWithin).ExitCode == 0);
    }

    /// <summary>
    /// Each container image of the model is there (or pulled) and starts: else the run stops at once and says which
    /// resource, why, and the way out (<c>Funnel:UseContainers=false</c> runs the local servers instead).
    /// </summary>
    public static void EnsureCanRun(IDistributedApplicationBuilder builder, string cli)
    {
        foreach (var container in builder.Resources.OfType<ContainerResource>())
        {
            if (!container.TryGetLastAnnotation<ContainerImageAnnotation>(out var image))
            {
                continue;
            }
            var reference = $"{(image.Registry is { Length: > 0 } registry ? registry + "/" : "")}{image.Image}:{image.Tag ?? "latest"}";
            var problem = Run(cli, ["image", "inspect", reference], InfoWithin).ExitCode == 0
                ? null
                : Run(cli, ["pull", reference], PullWithin) is { ExitCode: not 0 } pull ? $"the image {reference} is not there and cannot be pulled: {pull.Output}" : null;
            problem ??= Run(cli, ["run", "--rm", "--entrypoint", "true", reference], RunWithin) is { ExitCode: not 0 } run
                ? $"{cli} cannot start a container of {reference}: {run.Output}"
                : null;
            if (problem is not null)
            {
                throw new InvalidOperationException(
                    $"The container runtime ({cli}) answers, but resource '{container.Name}' cannot run: {problem.Trim()} " +
                    "Run without containers (the local rabbitmq-server and PostgreSQL of this machine) with " +
                    "Funnel:UseContainers=false, e.g. Funnel__UseContainers=false ./scripts/run.sh.");
            }
        }
    }

    private static (int ExitCode, string Output) Run(string cli, IEnumerable<string> arguments, TimeSpan within)
    {
        try
        {
            var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start);
            if (process is null)
            {
                return (-1, $"{cli} did not start");
            }
            var error = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(within))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"no answer within {within.TotalSeconds:0} s");
            }
            return (process.ExitCode, error.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, $"{cli} is not installed");
        }
    }
}

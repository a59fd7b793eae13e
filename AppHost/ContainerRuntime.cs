using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Funnel.AppHost;

/// <summary>
/// Whether a container runtime answers. Asked before the model is built: a container resource with no runtime
/// behind it makes the AppHost wait forever without a word.
/// </summary>
internal static class ContainerRuntime
{
    public static bool Answers(IConfiguration configuration)
    {
        if (configuration.GetValue<bool?>("Funnel:UseContainers") is { } configured)
        {
            return configured;
        }
        return Probe("docker") || Probe("podman");
    }

    private static bool Probe(string cli)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(cli, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // the CLI is not installed
        }
    }
}

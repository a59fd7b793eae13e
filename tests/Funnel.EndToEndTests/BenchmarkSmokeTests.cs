using System.Diagnostics;

namespace Funnel.EndToEndTests;

/// <summary>
/// The benchmark's quick mode, as a smoke test: the tool brings its own systems up, runs every measure for seconds
/// and writes its table. It checks that the tool works and that its figures are real numbers, never its speed.
/// </summary>
[Collection(nameof(AloneTests))]
public class BenchmarkSmokeTests
{
    [Fact(Timeout = 600_000)]
    public async Task The_benchmark_runs_every_measure_and_writes_its_figures()
    {
        var output = Path.Combine(Path.GetTempPath(), $"funnel-bench-{Guid.NewGuid():N}.md");
        // The bench is built with the tests (a project reference), in the same configuration.
        var bench = Path.Combine(AppContext.BaseDirectory.Replace("tests/Funnel.EndToEndTests", "bench"), "Funnel.Bench.dll");
        Assert.True(File.Exists(bench), $"{bench} is missing: build the tests first.");

        using var process = Process.Start(new ProcessStartInfo("dotnet", [bench, "--quick", "--out", output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync(Api.Cancel);
        var stderr = process.StandardError.ReadToEndAsync(Api.Cancel);
        await process.WaitForExitAsync(Api.Cancel);
        TestContext.Current.TestOutputHelper?.WriteLine(await stdout);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        var table = await File.ReadAllTextAsync(output, Api.Cancel);
        File.Delete(output);
        foreach (var measure in new[] { "1. Gateway overhead", "2. Intake", "3. Stage hop", "4. Full funnel", "5. Messaging",
                     "6. Scaling Qualification", "7. Memory" })
        {
            Assert.Contains($"| {measure} |", table);
        }
        Assert.DoesNotContain("NaN", table);
        Assert.Contains("2 replicas", table);
        Assert.Matches(@"\| \d[\d,]* won, 0 errors", table);
        Assert.Matches(@"2 replicas: [^|]*\| [^|]*, 0 duplicates", table);
        foreach (var service in new[] { "gateway", "leads", "qualification", "quoting", "orders", "pipeline" })
        {
            Assert.Matches($@"{service} \d+ MB", table);
        }
    }
}

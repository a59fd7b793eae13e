using System.Text.RegularExpressions;

namespace Funnel.UnitTests;

/// <summary>
/// The shared code's parts depend one way only, so each says what it is and none can grow a circle back: the domain
/// (records, gates) knows nothing of storage or transport; storage knows the domain; messaging and HTTP know storage;
/// <c>StageService</c> at the root puts them together. A stage's own <c>Domain</c> keeps to the same rule.
/// </summary>
public partial class LayeringTests
{
    private static readonly Dictionary<string, string[]> MayUse = new()
    {
        ["Domain"] = [],
        ["Gates"] = [],
        ["Data"] = ["Domain"],
        ["Messaging"] = ["Data", "Domain"],
        ["Http"] = ["Data", "Domain", "Gates"],
    };

    [Fact]
    public void Each_part_of_the_shared_infrastructure_uses_only_the_parts_below_it()
    {
        var infrastructure = Path.Combine(RepositoryRoot(), "services", "Infrastructure");
        var breaches = new List<string>();
        foreach (var part in Directory.GetDirectories(infrastructure).Select(Path.GetFileName).Where(d => d is not ("bin" or "obj")))
        {
            Assert.True(MayUse.ContainsKey(part!), $"services/Infrastructure/{part} is a part the layering does not know; add it to MayUse.");
            foreach (var file in Directory.GetFiles(Path.Combine(infrastructure, part!), "*.cs", SearchOption.AllDirectories))
            {
                breaches.AddRange(InfrastructureParts(file)
                    .Where(used => used != part && !MayUse[part!].Contains(used))
                    .Select(used => $"{Path.GetRelativePath(infrastructure, file)} uses {used}"));
            }
        }
        Assert.Empty(breaches);
    }

    [Fact]
    public void A_stage_domain_uses_no_storage_transport_or_http()
    {
        var services = Path.Combine(RepositoryRoot(), "services");
        var breaches = Directory.GetDirectories(services)
            .Select(service => Path.Combine(service, "Domain"))
            .Where(Directory.Exists)
            .SelectMany(domain => Directory.GetFiles(domain, "*.cs", SearchOption.AllDirectories))
            .SelectMany(file => Usings(file)
                .Where(used => used.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) ||
                               used.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) ||
                               used.StartsWith("MassTransit", StringComparison.Ordinal) ||
                               used is "Funnel.Infrastructure.Data" or "Funnel.Infrastructure.Messaging" or "Funnel.Infrastructure.Http")
                .Select(used => $"{Path.GetRelativePath(services, file)} uses {used}"))
            .ToList();
        Assert.Empty(breaches);
    }

    private static IEnumerable<string> Usings(string file) =>
        File.ReadLines(file).Select(line => UsingLine().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value);

    /// <summary>The parts of the shared infrastructure a file names in its usings (<c>Data</c>, <c>Http</c>...).</summary>
    private static IEnumerable<string> InfrastructureParts(string file) =>
        Usings(file).Where(u => u.StartsWith("Funnel.Infrastructure.", StringComparison.Ordinal))
            .Select(u => u["Funnel.Infrastructure.".Length..].Split('.')[0]);

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Funnel.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("Funnel.sln not found above the test's folder.");
    }

    [GeneratedRegex(@"^using\s+(?:static\s+)?([\w.]+)\s*;")]
    private static partial Regex UsingLine();
}

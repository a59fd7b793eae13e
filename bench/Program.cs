using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Funnel.Bench;
using Funnel.Testing;

// Usage: Funnel.Bench [--quick] [--growth] [--only MEASURES] [--database sqlite|postgres] [--out FILE]
//   Brings the system up twice (Qualification with one replica, then two), measures, prints the table and writes it
//   with the machine and the command to FILE (default BENCHMARKS.md in the current folder; --quick writes only with --out),
//   in the block of the database it ran on (SQLite files, the default, or the local PostgreSQL server).
//   --growth measures instead how costs grow with the data (one system, its own block).
var quick = args.Contains("--quick");
var databaseIndex = Array.IndexOf(args, "--database");
var database = databaseIndex >= 0 && databaseIndex + 1 < args.Length ? args[databaseIndex + 1] : "sqlite";
if (database is not ("sqlite" or "postgres"))
{
    Console.Error.WriteLine("--database is sqlite or postgres.");
    return 2;
}
var outIndex = Array.IndexOf(args, "--out");
var outFile = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : quick ? null : "BENCHMARKS.md";
var durations = quick ? Durations.Quick : Durations.Full;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Console.WriteLine($"Funnel benchmark ({(quick ? "quick: checks the tool works, not the speed" : "full")}), {Environment.ProcessorCount} cores");
var figures = new List<Figure>();
var total = Stopwatch.StartNew();

if (args.Contains("--growth"))
{
    var sizes = quick ? GrowthSizes.Quick : GrowthSizes.Full;
    await using (var system = await BenchSystem.StartAsync(qualificationReplicas: 1, database, stop.Token))
    {
        var growth = new Growth(system, sizes, stop.Token);
        var (first, last) = await growth.InteractionsAsync();
        figures.Add(new("G1. Interactions", $"one case, {sizes.Interactions:N0} in sequence: median of the first / last {sizes.Window}",
            $"{first:0.0} / {last:0.0} ms", $"x{last / first:0.00}", "at most x1.3", last / first <= 1.3));
        var (few, many) = await growth.PipelineRatesAsync();
        figures.Add(new("G2. Pipeline's fold", $"events/s on {sizes.LongContacts} contacts x {sizes.LongEvents:N0} events / {sizes.ShortContacts:N0} x {sizes.ShortEvents}",
            $"{many:N0} / {few:N0} events/s", $"x{many / few:0.00}", "at least x0.8", many / few >= 0.8));
        await growth.SeedAsync(sizes.SmallBook, 0);
        var small = await growth.ReportsAsync();
        var seeded = await growth.SeedAsync(sizes.LargeBook, sizes.SmallBook);
        var large = await growth.ReportsAsync();
        foreach (var (name, at1, at2) in new[] { ("funnel", small.Funnel, large.Funnel), ("board", small.Board, large.Board), ("stale", small.Stale, large.Stale) })
        {
            figures.Add(new(name == "funnel" ? "G3. Reports" : "", $"GET /api/pipeline/{name} p50 at {sizes.LargeBook:N0} / {sizes.SmallBook:N0} contacts",
                $"{at2:0.0} / {at1:0.0} ms", $"x{at2 / at1:0.00}, {at2:0} ms", "at most x3 and 250 ms", at2 / at1 <= 3 && at2 <= 250));
        }
        figures.Add(new("", $"Pipeline's resident memory: before / most during the reads at {sizes.LargeBook:N0} (seeded in {seeded.TotalSeconds:0} s, folded included)",
            $"{large.IdleMb:0} / {large.PeakMb:0} MB", $"+{large.PeakMb - large.IdleMb:0} MB", "at most +50 MB", large.PeakMb - large.IdleMb <= 50));
    }
    var growthTable = Report.Table(figures);
    Console.WriteLine();
    Console.WriteLine(growthTable);
    Console.WriteLine($"Done in {total.Elapsed.TotalMinutes:0.0} min.");
    if (outFile is not null)
    {
        var key = database == "sqlite" ? "growth" : $"growth-{database}";
        var command = "./scripts/bench.sh " + string.Join(' ', args);
        await File.WriteAllTextAsync(outFile, Report.Update(
            File.Exists(outFile) ? await File.ReadAllTextAsync(outFile) : null,
            Report.Markdown(growthTable, command, quick, database, $"Growth{(database == "sqlite" ? "" : $" on {database}")}"), key));
        Console.WriteLine($"Written to {Path.GetFullPath(outFile)}.");
    }
    return figures.Any(f => f.Value.Contains("NaN", StringComparison.Ordinal)) ? 1 : 0;
}

// --only gateway,intake,hop,funnel,messaging,scaling: those measures alone (to profile one), on the first system.
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1].Split(',') : null;
bool Runs(string measure) => only is null || only.Contains(measure);
if (only is not null && outIndex < 0)
{
    outFile = null;
}

double ceiling = double.NaN, startSeconds, scaleOne = 0, scaleOneHandOffs = 0;
Dictionary<string, List<long>> peaks, proportional;
await using (var system = await BenchSystem.StartAsync(qualificationReplicas: 1, database, stop.Token))
{
    startSeconds = system.StartedIn.TotalSeconds;
    var scenarios = new Scenarios(system, durations, stop.Token);

    if (Runs("gateway") || Runs("intake"))
    {
        var trivial = await scenarios.CeilingAsync();
        ceiling = trivial.PerSecond;
        figures.Add(new("0. Ceiling", $"the gateway forwarding a trivial route (GET answered 404 by Leads' routing), {durations.Workers} callers",
            $"{trivial.Ok:N0} answered, {trivial.Errors:N0} errors, p50 {trivial.P50:0.0} ms, p99 {trivial.P99:0.0} ms",
            $"{ceiling:N0} req/s", "(the most any route can do here)", null));
    }

    if (Runs("gateway"))
    {
        var (gateway1, direct1, gatewayN, directN) = await scenarios.GatewayOverheadAsync();
        var gatewayRatio = gatewayN.PerSecond / directN.PerSecond;
        var addedP50 = gateway1.P50 - direct1.P50;
        figures.Add(new("1. Gateway overhead", "GET /api/leads/{id}, 1 caller: via gateway / direct p50",
            $"{gateway1.P50:0.00} / {direct1.P50:0.00} ms (p99 {gateway1.P99:0.00} / {direct1.P99:0.00} ms)",
            $"{addedP50:+0.00;-0.00} ms added at p50", "at most +0.5 ms", addedP50 <= 0.5));
        figures.Add(new("", $"same, {durations.Workers} callers: via gateway / direct",
            $"{gatewayN.PerSecond:N0} / {directN.PerSecond:N0} req/s (p50 {gatewayN.P50:0.0} / {directN.P50:0.0} ms, p99 {gatewayN.P99:0.0} / {directN.P99:0.0} ms)",
            $"ratio {gatewayRatio:0.00}", "at least 0.75", gatewayRatio >= 0.75));
    }

    if (Runs("intake"))
    {
        var intake = await scenarios.IntakeAsync();
        var caughtUp = await system.SettleAsync(stop.Token);
        figures.Add(new("2. Intake", $"POST /api/leads, {durations.Workers} salespeople, {intake.Elapsed.TotalSeconds:0} s",
            $"{intake.Ok:N0} captured, {intake.Errors:N0} errors, p50 {intake.P50:0.0} ms, p99 {intake.P99:0.0} ms; " +
            $"Pipeline's read model caught up {caughtUp.TotalSeconds:0} s after the load",
            $"{intake.PerSecond:N0} leads/s, {intake.PerSecond / ceiling:0.00} of the ceiling", "at least 1,200/s and 0.5 of the ceiling",
            intake.PerSecond >= 1200 && intake.PerSecond >= 0.5 * ceiling && intake.Errors == 0));
    }

    if (Runs("hop"))
    {
        var (hops, coldHop) = await scenarios.HopLatencyAsync();
        figures.Add(new("3. Stage hop", $"qualify 202 -> case readable in Qualification, {hops.Ok + hops.Errors} contacts after a warm-up",
            $"p50 {hops.P50:0.0} ms, p99 {hops.P99:0.0} ms, {hops.Errors} not arrived; the system's first hop {coldHop:0} ms",
            $"p50 {hops.P50:0.0} / p99 {hops.P99:0.0} ms",
            "p50 <= 15 ms, p99 <= 60 ms", hops.P50 <= 15 && hops.P99 <= 60 && hops.Errors == 0));
    }

    double messagesPerSecond = double.NaN;
    if (Runs("funnel") || Runs("messaging"))
    {
        (var funnel, messagesPerSecond, var readsPerContact) = await scenarios.FullFunnelAsync();
        figures.Add(new("4. Full funnel", $"lead -> order (12 calls, 3 hand-offs), {scenarios.FunnelContacts} contacts at once, {funnel.Elapsed.TotalSeconds:0} s",
            $"{funnel.Ok:N0} won, {funnel.Errors:N0} errors, per contact p50 {funnel.P50:0} ms, p99 {funnel.P99:0} ms; " +
            $"{readsPerContact:0} reads per contact waiting for its hand-offs" +
            (funnel.Errors > 0 ? $"; failed at: {scenarios.FunnelFailures}" : ""),
            $"{funnel.PerSecond:0.0} contacts/s", "at least 80/s", funnel.PerSecond >= 80 && funnel.Errors == 0));
    }

    if (Runs("messaging"))
    {
        await system.SettleAsync(stop.Token);
        var plain = await scenarios.PlainMassTransitAsync();
        figures.Add(new("5. Messaging", "funnel's broker publish rate / plain MassTransit publish+consume, same broker",
            $"{messagesPerSecond:N0} / {plain:N0} msg/s", $"{messagesPerSecond / plain:P1} of plain", "(no target)", null));
    }

    if (Runs("scaling"))
    {
        await system.SettleAsync(stop.Token);
        var (writes, handOffs, duplicates) = await scenarios.QualificationLoadAsync();
        scaleOne = writes.PerSecond;
        scaleOneHandOffs = handOffs;
        figures.Add(new("6. Scaling Qualification", "1 replica: interactions logged / hand-offs taken in",
            $"{writes.PerSecond:N0} writes/s ({writes.Errors} errors), {handOffs:N0} hand-offs/s, {duplicates} duplicates", "", "", null));
    }
    peaks = system.PeakResidentBytes();
    proportional = system.ProportionalBytes();
}

if (only is null)
{
    await using var system = await BenchSystem.StartAsync(qualificationReplicas: 2, database, stop.Token);
    var scenarios = new Scenarios(system, durations, stop.Token);
    var (writes, handOffs, duplicates) = await scenarios.QualificationLoadAsync();
    figures.Add(new("", "2 replicas: interactions logged / hand-offs taken in",
        $"{writes.PerSecond:N0} writes/s ({writes.Errors} errors), {handOffs:N0} hand-offs/s, {duplicates} duplicates",
        $"x{writes.PerSecond / scaleOne:0.00} writes, x{handOffs / scaleOneHandOffs:0.00} hand-offs", "duplicates 0", duplicates == 0));
    startSeconds = Math.Max(startSeconds, system.StartedIn.TotalSeconds);
}

static Dictionary<string, double> Megabytes(Dictionary<string, List<long>> bytes) =>
    bytes.ToDictionary(m => m.Key, m => m.Value.Max() / 1024.0 / 1024.0);
var pssMb = Megabytes(proportional);
var peakMb = Megabytes(peaks);
figures.Add(new("7. Memory", "per process after the load above: proportional set size (Pss; shared framework pages split among the processes), peak resident set (VmHWM) beside it",
    string.Join(", ", pssMb.OrderBy(m => m.Key).Select(m => $"{m.Key} {m.Value:0} MB ({peakMb.GetValueOrDefault(m.Key):0} MB peak)")),
    $"max {(pssMb.Count > 0 ? pssMb.Values.Max() : double.NaN):0} MB Pss", "at most 120 MB each",
    pssMb.Count == FunnelSystem.Services.Length + 1 && pssMb.Values.All(v => v <= 120)));
figures.Add(new("", $"AppHost model built -> gateway healthy ({(only is null ? "slowest of the two starts" : "one start")})", $"{startSeconds:0.0} s",
    $"{startSeconds:0.0} s", "at most 20 s", startSeconds <= 20));

var table = Report.Table(figures);
Console.WriteLine();
Console.WriteLine(table);
Console.WriteLine($"Done in {total.Elapsed.TotalMinutes:0.0} min.");
if (outFile is not null)
{
    var command = "./scripts/bench.sh" + (args.Length > 0 ? " " + string.Join(' ', args) : "");
    await File.WriteAllTextAsync(outFile, Report.Update(
        File.Exists(outFile) ? await File.ReadAllTextAsync(outFile) : null, Report.Markdown(table, command, quick, database),
        database));
    Console.WriteLine($"Written to {Path.GetFullPath(outFile)}.");
}
// The figures are reported, never asserted: a missed target is a finding, not a failure of the tool.
return figures.Any(f => f.Value.Contains("NaN", StringComparison.Ordinal)) ? 1 : 0;

internal sealed record Figure(string Measure, string What, string Detail, string Value, string Target, bool? Met);

internal static class Report
{
    public static string Table(IReadOnlyList<Figure> figures)
    {
        var text = new StringBuilder();
        text.AppendLine("| measure | what | measured | figure | target | met |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var f in figures)
        {
            var met = f.Met switch { true => "yes", false => "**no**", null => "" };
            text.AppendLine($"| {f.Measure} | {f.What} | {f.Detail} | {f.Value} | {f.Target} | {met} |");
        }
        return text.ToString();
    }

    /// <summary>
    /// Replaces the database's latest run in <paramref name="existing"/>, keeping what people wrote around it; a
    /// database's first run goes after the last block.
    /// </summary>
    public static string Update(string? existing, string latest, string database)
    {
        var (begin, end) = database == "sqlite"
            ? ("<!-- bench: the latest run, written by the tool -->", "<!-- /bench -->")
            : ($"<!-- bench {database}: the latest run on {database}, written by the tool -->", $"<!-- /bench {database} -->");
        var block = $"{begin}\n{latest.TrimEnd()}\n{end}";
        var start = existing?.IndexOf(begin, StringComparison.Ordinal) ?? -1;
        var stop = start < 0 ? -1 : existing!.IndexOf(end, start, StringComparison.Ordinal);
        if (stop >= 0)
        {
            return existing![..start] + block + existing[(stop + end.Length)..];
        }
        var last = existing?.LastIndexOf("<!-- /bench", StringComparison.Ordinal) ?? -1;
        if (last < 0)
        {
            return $"# Benchmarks\n\n{block}\n";
        }
        var after = existing!.IndexOf("-->", last, StringComparison.Ordinal) + 3;
        return existing[..after] + "\n\n" + block + existing[after..];
    }

    public static string Markdown(string table, string command, bool quick, string database, string? title = null)
    {
        var memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024;
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME="))?.Split('=', 2)[1].Trim('"')
            : RuntimeInformation.OSDescription;
        return $"""
            ## {title ?? $"Latest run{(database == "sqlite" ? "" : $" on {database}")}"}

            Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC{(quick ? " (quick mode: seconds per measure, not figures to trust)" : "")} with

                {command}

            on {os}, {Environment.ProcessorCount} cores, {memoryGiB:0} GiB, .NET {Environment.Version}, no container engine
            (RabbitMQ from Debian, {(database == "sqlite" ? "a SQLite file per service" : "the machine's PostgreSQL 15 server, a database per service")}).

            {table}
            """;
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Funnel.Infrastructure.Gates;

/// <summary>A stage's exit rule as configuration: a versioned list of tasks (section <c>Gate</c>).</summary>
public sealed class GateOptions
{
    public string Version { get; set; } = "";
    public List<GateTask> Tasks { get; set; } = [];
}

public sealed class GateTask
{
    public string Name { get; set; } = "";

    /// <summary>An optional task is shown on the checklist but does not block the move.</summary>
    public bool Required { get; set; } = true;

    public string? Description { get; set; }
}

/// <summary>
/// The gate in force. A configuration change takes effect on the next move; a changed gate that names a task the
/// service cannot judge (it could never open) is refused and the previous gate stays.
/// </summary>
public sealed class StageGate
{
    private volatile GateOptions _current;

    public StageGate(string stage, IReadOnlySet<string> knownTasks, IOptionsMonitor<GateOptions> options,
        ILogger<StageGate> logger)
    {
        Stage = stage;
        var initial = options.CurrentValue;
        var problems = Check(initial, knownTasks);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The {stage} gate is not valid: {string.Join(" ", problems)}");
        }
        _current = initial;
        options.OnChange(changed =>
        {
            var refused = Check(changed, knownTasks);
            if (refused.Count > 0)
            {
                logger.LogError("The changed {Stage} gate is refused, {Version} stays in force: {Problems}",
                    stage, _current.Version, string.Join(" ", refused));
                return;
            }
            _current = changed;
            logger.LogInformation("The {Stage} gate {Version} is in force.", stage, changed.Version);
        });
    }

    public string Stage { get; }
    public string Version => _current.Version;
    public IReadOnlyList<GateTask> Tasks => _current.Tasks;

    /// <summary>The required tasks not in <paramref name="done"/>, in the gate's order.</summary>
    public IReadOnlyList<string> Unmet(IReadOnlySet<string> done) =>
        _current.Tasks.Where(t => t.Required && !done.Contains(t.Name)).Select(t => t.Name).ToList();

    /// <summary>Throws <see cref="GateUnmetException"/> unless every required task is in <paramref name="done"/>.</summary>
    public void Ensure(IReadOnlySet<string> done, string detail)
    {
        var gate = _current;
        var unmet = gate.Tasks.Where(t => t.Required && !done.Contains(t.Name)).Select(t => t.Name).ToList();
        if (unmet.Count > 0)
        {
            throw new GateUnmetException(detail, unmet, gate.Version);
        }
    }

    /// <summary>
    /// Throws <see cref="GateUnmetException"/> naming <paramref name="task"/> when the gate requires it and it is not
    /// done: a move short of the gate (sending a quote) that must already hold one of its tasks.
    /// </summary>
    public void EnsureTask(string task, IReadOnlySet<string> done, string detail)
    {
        var gate = _current;
        if (gate.Tasks.Any(t => t.Required && t.Name == task) && !done.Contains(task))
        {
            throw new GateUnmetException(detail, [task], gate.Version);
        }
    }

    public static IReadOnlyList<string> Check(GateOptions options, IReadOnlySet<string> knownTasks)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Version))
        {
            problems.Add("Gate:Version is required.");
        }
        foreach (var task in options.Tasks.Where(t => !knownTasks.Contains(t.Name)))
        {
            problems.Add($"Gate task '{task.Name}' is unknown; known tasks: {string.Join(", ", knownTasks)}.");
        }
        foreach (var duplicate in options.Tasks.GroupBy(t => t.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"Gate task '{duplicate.Key}' is listed twice.");
        }
        return problems;
    }
}

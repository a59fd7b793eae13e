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

/// <summary>The gate in force now; configuration reloads take effect on the next move.</summary>
public sealed class StageGate(string stage, IOptionsMonitor<GateOptions> options)
{
    public string Stage { get; } = stage;
    public string Version => options.CurrentValue.Version;
    public IReadOnlyList<GateTask> Tasks => options.CurrentValue.Tasks;

    /// <summary>The required tasks not in <paramref name="done"/>, in the gate's order.</summary>
    public IReadOnlyList<string> Unmet(IReadOnlySet<string> done) =>
        Tasks.Where(t => t.Required && !done.Contains(t.Name)).Select(t => t.Name).ToList();
}

/// <summary>Refuses a gate that names a task the service cannot judge: such a gate could never open.</summary>
public sealed class GateOptionsValidator(IReadOnlySet<string> knownTasks) : IValidateOptions<GateOptions>
{
    public ValidateOptionsResult Validate(string? name, GateOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Version))
        {
            failures.Add("Gate:Version is required.");
        }
        foreach (var task in options.Tasks.Where(t => !knownTasks.Contains(t.Name)))
        {
            failures.Add($"Gate task '{task.Name}' is unknown; known tasks: {string.Join(", ", knownTasks)}.");
        }
        foreach (var duplicate in options.Tasks.GroupBy(t => t.Name).Where(g => g.Count() > 1))
        {
            failures.Add($"Gate task '{duplicate.Key}' is listed twice.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

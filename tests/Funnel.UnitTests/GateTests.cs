using Funnel.Infrastructure.Gates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Funnel.UnitTests;

public class GateTests
{
    private static readonly IReadOnlySet<string> Known = new HashSet<string> { "a", "b", "c" };

    [Fact]
    public void Unmet_lists_the_required_tasks_not_done_in_the_gates_order()
    {
        var gate = Gates.Of("v1", ("c", true), ("a", true), ("b", false));

        Assert.Equal(["c", "a"], gate.Unmet(new HashSet<string>()));
        Assert.Equal(["c"], gate.Unmet(new HashSet<string> { "a" }));
        Assert.Empty(gate.Unmet(new HashSet<string> { "a", "c" }));
    }

    [Fact]
    public void The_same_state_passes_or_not_depending_on_the_configured_gate()
    {
        var done = new HashSet<string> { "a" };
        var lenient = Gates.Of("v1", ("a", true), ("b", false));
        var strict = Gates.Of("v2", ("a", true), ("b", true));

        Assert.Empty(lenient.Unmet(done));
        Assert.Equal(["b"], strict.Unmet(done));
        Assert.Equal("v2", strict.Version);
    }

    [Fact]
    public void A_gate_naming_an_unknown_task_or_without_version_is_refused()
    {
        var unknown = new GateOptions { Version = "v1", Tasks = [new GateTask { Name = "z" }] };
        var unversioned = new GateOptions { Tasks = [new GateTask { Name = "a" }] };
        var twice = new GateOptions { Version = "v1", Tasks = [new GateTask { Name = "a" }, new GateTask { Name = "a" }] };

        Assert.Contains("'z' is unknown", Assert.Single(StageGate.Check(unknown, Known)));
        Assert.NotEmpty(StageGate.Check(unversioned, Known));
        Assert.NotEmpty(StageGate.Check(twice, Known));
        Assert.Empty(StageGate.Check(new GateOptions { Version = "v1", Tasks = [new GateTask { Name = "b" }] }, Known));
        Assert.Throws<InvalidOperationException>(() => Gates.Of("v1", ("z", true)));
    }

    [Fact]
    public void A_changed_gate_takes_effect_unless_it_is_invalid()
    {
        var options = new ChangingOptions(new GateOptions { Version = "v1", Tasks = [new GateTask { Name = "a" }] });
        var gate = new StageGate("test", Known, options, NullLogger<StageGate>.Instance);

        options.Change(new GateOptions { Version = "v2", Tasks = [new GateTask { Name = "a" }, new GateTask { Name = "b" }] });
        Assert.Equal("v2", gate.Version);
        Assert.Equal(["a", "b"], gate.Unmet(new HashSet<string>()));

        options.Change(new GateOptions { Version = "v3", Tasks = [new GateTask { Name = "nonsense" }] });
        Assert.Equal("v2", gate.Version);
    }

    private sealed class ChangingOptions(GateOptions value) : IOptionsMonitor<GateOptions>
    {
        private Action<GateOptions, string?>? _listener;
        public GateOptions CurrentValue { get; private set; } = value;
        public GateOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<GateOptions, string?> listener)
        {
            _listener = listener;
            return null;
        }

        public void Change(GateOptions changed)
        {
            CurrentValue = changed;
            _listener?.Invoke(changed, null);
        }
    }
}

/// <summary>Gates built from options, as the services bind them from configuration.</summary>
internal static class Gates
{
    public static StageGate Of(string version, params (string Name, bool Required)[] tasks) =>
        new("test", Known, new FixedOptions(new GateOptions
        {
            Version = version,
            Tasks = tasks.Select(t => new GateTask { Name = t.Name, Required = t.Required }).ToList(),
        }), NullLogger<StageGate>.Instance);

    private static readonly IReadOnlySet<string> Known = new HashSet<string> { "a", "b", "c" };

    /// <summary>A gate of <paramref name="known"/> tasks requiring <paramref name="required"/>; none blocks by default.</summary>
    public static StageGate Stage(IReadOnlySet<string> known, string version = "test-1", params string[] required) =>
        new("test", known, new FixedOptions(new GateOptions
        {
            Version = version,
            Tasks = required.Select(t => new GateTask { Name = t }).ToList(),
        }), NullLogger<StageGate>.Instance);

    private sealed class FixedOptions(GateOptions value) : IOptionsMonitor<GateOptions>
    {
        public GateOptions CurrentValue => value;
        public GateOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<GateOptions, string?> listener) => null;
    }
}

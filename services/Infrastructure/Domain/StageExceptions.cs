namespace Funnel.Infrastructure.Domain;

/// <summary>A stage's rules refuse a move in the record's current state; the API answers 409.</summary>
public class InvalidTransitionException(string message) : InvalidOperationException(message);

/// <summary>A move names a part of the record that it does not have (a quote of another opportunity); the API answers 404.</summary>
public sealed class UnknownPartException(string what, Guid id) : InvalidOperationException($"There is no {what} '{id}'.")
{
    public string What { get; } = what;
    public Guid Id { get; } = id;
}

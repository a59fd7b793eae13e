namespace Funnel.Infrastructure;

/// <summary>A stage's rules refuse a move in the record's current state; the API answers 409.</summary>
public class InvalidTransitionException(string message) : InvalidOperationException(message);

namespace Funnel.Infrastructure.Domain;

/// <summary>Something one salesperson owns: only they and managers see it.</summary>
public interface IOwned
{
    string? Owner { get; }
}

/// <summary>A contact's record at one stage: owned by a salesperson, edited under a revision.</summary>
public interface IOwnedRecord : IOwned
{
    int Revision { get; }
}

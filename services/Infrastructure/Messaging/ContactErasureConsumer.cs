using Funnel.Contracts;
using Funnel.Infrastructure.Data;
using MassTransit;

namespace Funnel.Infrastructure.Messaging;

/// <summary>The stage service's name, as its queues and the erasure's steps know it.</summary>
public sealed record ServiceName(string Value);

/// <summary>
/// A stage erases a contact when Leads asks: its own records (<see cref="EraseRecordsAsync"/>), the events and answers
/// it keeps about the contact, and the marker that erases whatever arrives later, in one commit with the
/// <see cref="ContactErased"/> answer; then the file's bytes (SQLite) and the messages about the contact that wait in
/// its error and redelivery queues. Erasing twice changes nothing, so a second delivery is harmless.
/// </summary>
public abstract class ContactErasureConsumer<TContext>(TContext db, TimeProvider time, ServiceName service,
    StageConsumers consumers, Redelivery redelivery) : IConsumer<ContactErasureRequested>
    where TContext : StageDbContext
{
    protected TContext Db { get; } = db;

    public async Task Consume(ConsumeContext<ContactErasureRequested> context)
    {
        var request = context.Message;
        await EraseRecordsAsync(request.ContactId, context.CancellationToken);
        await Db.EraseStoredMessagesAsync(request, service.Value, time.GetUtcNow(), context.CancellationToken);
        await Db.SaveChangesAsync(context.CancellationToken);
        await Db.CheckpointAsync(context.CancellationToken);
        foreach (var endpoint in consumers.Endpoints)
        {
            await redelivery.DropAboutAsync(endpoint.Queue, request.ContactId, context.CancellationToken);
        }
    }

    /// <summary>Erases the personal data of the contact's records in this stage (tracked; the base class saves).</summary>
    protected abstract Task EraseRecordsAsync(Guid contactId, CancellationToken cancellationToken);
}

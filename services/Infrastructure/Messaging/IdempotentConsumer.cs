using Funnel.Contracts;
using Funnel.Infrastructure.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Infrastructure.Messaging;

/// <summary>
/// A consumer whose effect happens once per event, however often the event is delivered: the inbox mark commits with
/// the effect, and a racing duplicate fails on the inbox key, is retried, and then finds the mark.
/// </summary>
public abstract class IdempotentConsumer<TMessage, TContext>(TContext db, TimeProvider time) : IConsumer<TMessage>
    where TMessage : class, IContactEvent
    where TContext : StageDbContext
{
    protected TContext Db { get; } = db;
    protected TimeProvider Time { get; } = time;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var consumer = GetType().Name;
        var eventId = context.Message.EventId;
        if (await Db.ProcessedMessages.AnyAsync(m => m.Consumer == consumer && m.EventId == eventId, context.CancellationToken))
        {
            return;
        }

        await HandleAsync(context.Message, context.CancellationToken);
        Db.ProcessedMessages.Add(new ProcessedMessage
        {
            Consumer = consumer,
            EventId = eventId,
            ProcessedAt = Time.GetUtcNow(),
        });
        await Db.SaveChangesAsync(context.CancellationToken);
    }

    /// <summary>Applies the message to the tracked entities; the base class saves them with the inbox mark.</summary>
    protected abstract Task HandleAsync(TMessage message, CancellationToken cancellationToken);
}

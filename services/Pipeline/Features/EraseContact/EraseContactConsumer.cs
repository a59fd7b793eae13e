using Funnel.Contracts;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Messaging;
using Funnel.Pipeline.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Pipeline.Features.EraseContact;

/// <summary>
/// Pipeline's part of an erasure: the contact's stored events lose their personal fields (so a rebuild cannot bring
/// them back) and its journey its name and company; stages, times and amounts stay, so the funnel reads the same.
/// Pipeline has no outbox, so it answers <see cref="ContactErased"/> straight after its commit (a lost answer comes
/// again with the request's redelivery; erasing twice changes nothing).
/// </summary>
public sealed class EraseContactConsumer(PipelineDbContext db, TimeProvider time, ServiceName service,
    StageConsumers consumers, Redelivery redelivery) : IConsumer<ContactErasureRequested>
{
    public async Task Consume(ConsumeContext<ContactErasureRequested> context)
    {
        var request = context.Message;
        var now = time.GetUtcNow();
        foreach (var stored in await db.Events.Where(e => e.ContactId == request.ContactId)
                     .ToListAsync(context.CancellationToken))
        {
            stored.ErasePersonalData();
        }
        (await db.Journeys.FindAsync([request.ContactId], context.CancellationToken))?.ErasePersonalData();
        await db.MarkErasedAsync(request.ContactId, now, context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
        await db.CheckpointAsync(context.CancellationToken);
        foreach (var endpoint in consumers.Endpoints)
        {
            await redelivery.DropAboutAsync(endpoint.Queue, request.ContactId, context.CancellationToken);
        }
        await context.Publish(new ContactErased(Guid.CreateVersion7(), request.ContactId, now, request.Owner,
            service.Value), context.CancellationToken);
    }
}

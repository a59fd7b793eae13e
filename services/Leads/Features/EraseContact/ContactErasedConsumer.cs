using Funnel.Contracts;
using Funnel.Leads.Data;
using MassTransit;

namespace Funnel.Leads.Features.EraseContact;

/// <summary>A service confirmed its part of an erasure: its step is done (a second confirmation changes nothing).</summary>
public sealed class ContactErasedConsumer(LeadsDbContext db) : IConsumer<ContactErased>
{
    public async Task Consume(ConsumeContext<ContactErased> context)
    {
        if (await db.Erasures.FindAsync([context.Message.ContactId], context.CancellationToken) is { } erasure)
        {
            erasure.Confirm(context.Message.Service, context.Message.OccurredAt);
            await db.SaveChangesAsync(context.CancellationToken);
        }
    }
}

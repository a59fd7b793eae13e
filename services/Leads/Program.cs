using Funnel.Contracts;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Funnel.Leads.Features.CaptureLead;
using Funnel.Leads.Features.DisqualifyLead;
using Funnel.Leads.Features.GetLead;
using Funnel.Leads.Features.ImportLeads;
using Funnel.Leads.Features.LearnCustomers;
using Funnel.Leads.Features.ReopenLead;
using Funnel.Leads.Features.UpdateLead;
using Funnel.Leads.Features.ListLeads;
using Funnel.Leads.Features.QualifyLead;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddStageHttp();
builder.AddStageDatabase<LeadsDbContext, SqliteLeadsDbContext, SqlServerLeadsDbContext,
    PostgresLeadsDbContext>("leads-db");
builder.AddStageMessaging("leads", consumers => consumers.Add<OrderPlacedConsumer>());
builder.AddOutboxRelay<LeadsDbContext>();
builder.AddStageGate(Stages.Lead, LeadTasks.Known);
builder.Services.Configure<LeadsOptions>(builder.Configuration.GetSection("Leads"));

var app = builder.Build();
if (await app.MigrateDatabaseAsync<LeadsDbContext>())
{
    return;
}
await app.IndexLeadsForSearchAsync();
app.UseStageHttp();

app.MapGate("/api/leads");
app.MapCaptureLead();
app.MapListLeads();
app.MapGetLead();
app.MapQualifyLead();
app.MapDisqualifyLead();
app.MapReopenLead();
app.MapUpdateLead();
app.MapImportLeads();

app.Run();

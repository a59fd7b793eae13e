using Funnel.Contracts;
using Funnel.Infrastructure;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Funnel.Leads.Features.CaptureLead;
using Funnel.Leads.Features.DisqualifyLead;
using Funnel.Leads.Features.EraseContact;
using Funnel.Leads.Features.GetLead;
using Funnel.Leads.Features.ImportLeads;
using Funnel.Leads.Features.LearnCustomers;
using Funnel.Leads.Features.ListLeads;
using Funnel.Leads.Features.QualifyLead;
using Funnel.Leads.Features.ReopenLead;
using Funnel.Leads.Features.UpdateLead;

var builder = WebApplication.CreateBuilder(args);
builder.AddStageService<LeadsDbContext, SqliteLeadsDbContext, SqlServerLeadsDbContext, PostgresLeadsDbContext>("leads",
    consumers => consumers.Add<OrderPlacedConsumer>().Add<EraseContactConsumer>().Add<ContactErasedConsumer>());
builder.AddStageGate(Stages.Lead, LeadTasks.Known);
builder.Services.Configure<LeadsOptions>(builder.Configuration.GetSection("Leads"));
builder.Services.AddScoped<ImportJob>();
builder.Services.AddSingleton<ImportSignal>();
builder.Services.AddHostedService<ImportWorker>();

var app = builder.Build();
if (await app.MigrateDatabaseAsync<LeadsDbContext>())
{
    return;
}
await app.IndexLeadsForSearchAsync();

var api = app.MapStageApi("/api/leads", "Leads");
api.MapGate();
api.MapCaptureLead();
api.MapListLeads();
api.MapGetLead();
api.MapQualifyLead();
api.MapDisqualifyLead();
api.MapReopenLead();
api.MapUpdateLead();
api.MapImportLeads();
api.MapGetImport();
app.MapEraseContact();

app.Run();

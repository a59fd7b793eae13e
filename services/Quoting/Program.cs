using Funnel.Contracts;
using Funnel.Infrastructure;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;
using Funnel.Quoting.Features.AcceptQuote;
using Funnel.Quoting.Features.ChangeCreditLimit;
using Funnel.Quoting.Features.CreateQuote;
using Funnel.Quoting.Features.EraseContact;
using Funnel.Quoting.Features.GetOpportunity;
using Funnel.Quoting.Features.ListActivities;
using Funnel.Quoting.Features.ListOpportunities;
using Funnel.Quoting.Features.LogActivity;
using Funnel.Quoting.Features.LoseProspect;
using Funnel.Quoting.Features.OpenOpportunity;
using Funnel.Quoting.Features.RejectQuote;
using Funnel.Quoting.Features.SendQuote;
using Funnel.Quoting.Features.UpdateProgress;

var builder = WebApplication.CreateBuilder(args);
builder.AddStageService<QuotingDbContext, SqliteQuotingDbContext, SqlServerQuotingDbContext, PostgresQuotingDbContext>(
    "quoting", consumers => consumers
    .Add<ProspectQualifiedConsumer>()
    .Add<ContactReassignedConsumer>()
    .Add<CreditLimitChangedConsumer>()
    .Add<EraseContactConsumer>());
builder.AddStageGate(Stages.Prospect, QuotingTasks.Known);
builder.Services.Configure<ProgressOptions>(builder.Configuration.GetSection("Progress"));

var app = builder.Build();
if (await app.MigrateDatabaseAsync<QuotingDbContext>())
{
    return;
}

var api = app.MapStageApi("/api/quoting", "Quoting");
api.MapGate();
api.MapListOpportunities();
api.MapGetOpportunity();
api.MapLogActivity();
api.MapListActivities();
api.MapUpdateProgress();
api.MapCreateQuote();
api.MapSendQuote();
api.MapAcceptQuote();
api.MapRejectQuote();
api.MapLoseProspect();

app.Run();

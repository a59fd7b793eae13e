using Funnel.Contracts;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Funnel.Quoting.Data;
using Funnel.Quoting.Domain;
using Funnel.Quoting.Features.AcceptQuote;
using Funnel.Quoting.Features.ChangeCreditLimit;
using Funnel.Quoting.Features.CreateQuote;
using Funnel.Quoting.Features.GetOpportunity;
using Funnel.Quoting.Features.ListOpportunities;
using Funnel.Quoting.Features.LogActivity;
using Funnel.Quoting.Features.LoseProspect;
using Funnel.Quoting.Features.OpenOpportunity;
using Funnel.Quoting.Features.RejectQuote;
using Funnel.Quoting.Features.SendQuote;
using Funnel.Quoting.Features.UpdateProgress;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddStageHttp();
builder.AddStageDatabase<QuotingDbContext, SqliteQuotingDbContext, SqlServerQuotingDbContext,
    PostgresQuotingDbContext>("quoting-db");
builder.AddStageMessaging("quoting", consumers => consumers
    .Add<ProspectQualifiedConsumer>()
    .Add<ContactReassignedConsumer>()
    .Add<CreditLimitChangedConsumer>());
builder.AddOutboxRelay<QuotingDbContext>();
builder.AddStageGate(Stages.Prospect, QuotingTasks.Known);
builder.Services.Configure<ProgressOptions>(builder.Configuration.GetSection("Progress"));

var app = builder.Build();
if (await app.MigrateDatabaseAsync<QuotingDbContext>())
{
    return;
}
app.UseStageHttp();

app.MapGate("/api/quoting");
app.MapListOpportunities();
app.MapGetOpportunity();
app.MapLogActivity();
app.MapUpdateProgress();
app.MapCreateQuote();
app.MapSendQuote();
app.MapAcceptQuote();
app.MapRejectQuote();
app.MapLoseProspect();

app.Run();

using Funnel.Contracts;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Funnel.Qualification.Data;
using Funnel.Qualification.Domain;
using Funnel.Qualification.Features.CheckCredit;
using Funnel.Qualification.Features.ConfirmInterest;
using Funnel.Qualification.Features.DisqualifyCase;
using Funnel.Qualification.Features.GetCase;
using Funnel.Qualification.Features.ListCases;
using Funnel.Qualification.Features.LogInteraction;
using Funnel.Qualification.Features.OpenCase;
using Funnel.Qualification.Features.PromoteProspect;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddStageHttp();
builder.AddStageDatabase<QualificationDbContext, SqliteQualificationDbContext, SqlServerQualificationDbContext,
    PostgresQualificationDbContext>("qualification-db");
builder.AddStageMessaging("qualification", consumers => consumers
    .Add<LeadQualifiedConsumer>()
    .Add<ContactReassignedConsumer>());
builder.AddOutboxRelay<QualificationDbContext>();
builder.AddStageGate(Stages.QualifiedLead, QualificationTasks.Known);
builder.Services.Configure<CreditPolicyOptions>(builder.Configuration.GetSection("CreditPolicy"));

var app = builder.Build();
if (await app.MigrateDatabaseAsync<QualificationDbContext>())
{
    return;
}
app.UseStageHttp();

app.MapGate("/api/qualification");
app.MapListCases();
app.MapGetCase();
app.MapLogInteraction();
app.MapConfirmInterest();
app.MapCheckCredit();
app.MapPromoteProspect();
app.MapDisqualifyCase();

app.Run();

using Funnel.Contracts;
using Funnel.Infrastructure;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Funnel.Qualification.Data;
using Funnel.Qualification.Domain;
using Funnel.Qualification.Features.CheckCredit;
using Funnel.Qualification.Features.ConfirmInterest;
using Funnel.Qualification.Features.DisqualifyCase;
using Funnel.Qualification.Features.EraseContact;
using Funnel.Qualification.Features.GetCase;
using Funnel.Qualification.Features.ListCases;
using Funnel.Qualification.Features.ListInteractions;
using Funnel.Qualification.Features.LogInteraction;
using Funnel.Qualification.Features.OpenCase;
using Funnel.Qualification.Features.PromoteProspect;

var builder = WebApplication.CreateBuilder(args);
builder.AddStageService<QualificationDbContext, SqliteQualificationDbContext, SqlServerQualificationDbContext,
    PostgresQualificationDbContext>("qualification", consumers => consumers
    .Add<LeadQualifiedConsumer>()
    .Add<ContactReassignedConsumer>()
    .Add<EraseContactConsumer>());
builder.AddStageGate(Stages.QualifiedLead, QualificationTasks.Known);
builder.Services.Configure<CreditPolicyOptions>(builder.Configuration.GetSection("CreditPolicy"));

var app = builder.Build();
if (await app.MigrateDatabaseAsync<QualificationDbContext>())
{
    return;
}

var api = app.MapStageApi("/api/qualification", "Qualification");
api.MapGate();
api.MapListCases();
api.MapGetCase();
api.MapLogInteraction();
api.MapListInteractions();
api.MapConfirmInterest();
api.MapCheckCredit();
api.MapPromoteProspect();
api.MapDisqualifyCase();

app.Run();

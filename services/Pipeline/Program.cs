using Funnel.Infrastructure;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Features.EraseContact;
using Funnel.Pipeline.Features.GetBoard;
using Funnel.Pipeline.Features.GetFunnel;
using Funnel.Pipeline.Features.GetJourney;
using Funnel.Pipeline.Features.ListJourneyEvents;
using Funnel.Pipeline.Features.ListStale;
using Funnel.Pipeline.Features.RebuildReadModel;
using Funnel.Pipeline.Features.RecordEvents;

var builder = WebApplication.CreateBuilder(args);
builder.AddStageService<PipelineDbContext, SqlitePipelineDbContext, SqlServerPipelineDbContext,
    PostgresPipelineDbContext>("pipeline", consumers => consumers
    .Add<StageEventConsumer, StageEventConsumerDefinition>()
    .Add<EraseContactConsumer>());
builder.Services.AddSingleton<FunnelMetrics>();
builder.Services.Configure<StaleOptions>(builder.Configuration.GetSection("Pipeline"));

var app = builder.Build();
if (await app.MigrateDatabaseAsync<PipelineDbContext>())
{
    return;
}
await app.BuildMissingReadModelAsync();

var api = app.MapStageApi("/api/pipeline", "Pipeline");
api.MapGetJourney();
api.MapListJourneyEvents();
api.MapGetBoard();
api.MapGetFunnel();
api.MapListStale();
app.MapRebuildReadModel();

app.Run();

using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Features.GetBoard;
using Funnel.Pipeline.Features.GetFunnel;
using Funnel.Pipeline.Features.GetJourney;
using Funnel.Pipeline.Features.ListStale;
using Funnel.Pipeline.Features.RebuildReadModel;
using Funnel.Pipeline.Features.RecordEvents;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddStageHttp();
builder.AddStageDatabase<PipelineDbContext, SqlitePipelineDbContext, SqlServerPipelineDbContext,
    PostgresPipelineDbContext>("pipeline-db");
builder.AddStageMessaging("pipeline", consumers =>
    consumers.Add<StageEventConsumer, StageEventConsumerDefinition>());
builder.Services.AddSingleton<FunnelMetrics>();
builder.Services.Configure<StaleOptions>(builder.Configuration.GetSection("Pipeline"));

var app = builder.Build();
if (await app.MigrateDatabaseAsync<PipelineDbContext>())
{
    return;
}
await app.BuildMissingReadModelAsync();
app.UseStageHttp();

app.MapGetJourney();
app.MapGetBoard();
app.MapGetFunnel();
app.MapListStale();
app.MapRebuildReadModel();

app.Run();

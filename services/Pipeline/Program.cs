using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Funnel.Pipeline.Data;
using Funnel.Pipeline.Features.GetJourney;
using Funnel.Pipeline.Features.RecordEvents;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddStageHttp();
builder.AddStageDatabase<PipelineDbContext, SqlitePipelineDbContext, SqlServerPipelineDbContext>("pipeline-db");
builder.AddStageMessaging("pipeline", bus => bus.AddConsumer<StageEventConsumer>());

var app = builder.Build();
await app.MigrateDatabaseAsync<PipelineDbContext>();
app.UseStageHttp();

app.MapGetJourney();

app.Run();

using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Funnel.Orders.Data;
using Funnel.Orders.Features.GetCustomer;
using Funnel.Orders.Features.GetOrder;
using Funnel.Orders.Features.GetSales;
using Funnel.Orders.Features.ListOrders;
using Funnel.Orders.Features.PlaceOrder;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddStageHttp();
builder.AddStageDatabase<OrdersDbContext, SqliteOrdersDbContext, SqlServerOrdersDbContext,
    PostgresOrdersDbContext>("orders-db");
builder.AddStageMessaging("orders", consumers => consumers
    .Add<QuoteAcceptedConsumer>()
    .Add<ContactReassignedConsumer>());
builder.AddOutboxRelay<OrdersDbContext>();

var app = builder.Build();
if (await app.MigrateDatabaseAsync<OrdersDbContext>())
{
    return;
}
app.UseStageHttp();

app.MapListOrders();
app.MapGetOrder();
app.MapGetCustomer();
app.MapGetSales();

app.Run();

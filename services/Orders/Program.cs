using Funnel.Infrastructure;
using Funnel.Infrastructure.Data;
using Funnel.Infrastructure.Http;
using Funnel.Infrastructure.Messaging;
using Funnel.Orders.Data;
using Funnel.Orders.Features.EraseContact;
using Funnel.Orders.Features.GetCustomer;
using Funnel.Orders.Features.GetOrder;
using Funnel.Orders.Features.GetSales;
using Funnel.Orders.Features.ListOrders;
using Funnel.Orders.Features.PlaceOrder;

var builder = WebApplication.CreateBuilder(args);
builder.AddStageService<OrdersDbContext, SqliteOrdersDbContext, SqlServerOrdersDbContext, PostgresOrdersDbContext>(
    "orders", consumers => consumers
    .Add<QuoteAcceptedConsumer>()
    .Add<ContactReassignedConsumer>()
    .Add<EraseContactConsumer>());

var app = builder.Build();
if (await app.MigrateDatabaseAsync<OrdersDbContext>())
{
    return;
}

// Orders answers for orders, customers and sales: its group is the API's root.
var api = app.MapStageApi("/api", "Orders");
api.MapListOrders();
api.MapGetOrder();
api.MapGetCustomer();
api.MapGetSales();

app.Run();

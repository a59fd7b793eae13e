using Funnel.Orders.Domain;

namespace Funnel.UnitTests;

public class OrdersTests
{
    [Fact]
    public void Volume_adds_up_each_currency_separately()
    {
        SalespersonSales[] bySalesperson =
        [
            new("alice", "EUR", 2, 300_00), new("bob", "EUR", 1, 50_00), new("bob", "USD", 3, 999_99),
        ];

        var volume = SalesVolume.Total(bySalesperson);

        Assert.Equal([new CurrencySales("EUR", 3, 350_00), new CurrencySales("USD", 3, 999_99)], volume);
    }
}

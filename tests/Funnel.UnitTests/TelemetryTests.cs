using Microsoft.Extensions.Hosting;

namespace Funnel.UnitTests;

public class TelemetryTests
{
    [Theory]
    [InlineData("?search=ada%40x.example&page=2", "?search=*&page=*")]
    [InlineData("?search=Priya%20Private", "?search=*")]
    [InlineData("?flag", "?flag=*")]
    public void A_spans_query_keeps_its_names_and_loses_its_values(string query, string redacted) =>
        Assert.Equal(redacted, Extensions.RedactedQuery(query));
}

using Funnel.Infrastructure.Http;
using Funnel.Leads.Features;
using Funnel.Quoting.Features.CreateQuote;

namespace Funnel.UnitTests;

/// <summary>The rules a request type declares (the ones its OpenAPI schema states) are the ones its handler checks.</summary>
public class DeclaredRulesTests
{
    [Fact]
    public void A_lead_without_a_name_and_with_an_overlong_company_names_both_fields()
    {
        var errors = Validation.Of(new LeadInput(null, new string('x', 201), "a@b.example", null, null, null, null, null)).Errors;

        Assert.Equal(["company", "name"], errors.Keys.Order());
        Assert.Equal("'name' is required.", Assert.Single(errors["name"]));
        Assert.Equal("'company' must be at most 200 characters.", Assert.Single(errors["company"]));
    }

    [Fact]
    public void A_quote_is_checked_line_by_line()
    {
        var errors = Validation.Of(new CreateQuoteRequest("EUR", DateOnly.FromDateTime(DateTime.UtcNow), [
            new CreateQuoteLine("AE-1", "Difference engine", 2, 10, null),
            new CreateQuoteLine("", "Analytical engine", 0, -1, 101),
            null!,
        ])).Errors;

        Assert.Equal(["lines[1].discountPercent", "lines[1].quantity", "lines[1].sku", "lines[1].unitPrice", "lines[2]"],
            errors.Keys.Order());
    }

    [Fact]
    public void A_quote_without_lines_or_currency_is_refused_and_a_valid_one_passes()
    {
        Assert.Equal(["currency", "lines", "validUntil"],
            Validation.Of(new CreateQuoteRequest(null, null, [])).Errors.Keys.Order());
        Assert.True(Validation.Of(new CreateQuoteRequest("PLN", new DateOnly(2027, 1, 31),
            [new CreateQuoteLine("AE-1", "Difference engine", 0.5m, 0, 0)])).IsValid);
    }
}

using Funnel.Leads.Features.ImportLeads;

namespace Funnel.UnitTests;

public class CsvRowsTests
{
    [Fact]
    public void Fields_split_on_commas_and_lines_on_CRLF_or_LF()
    {
        var rows = CsvRows.Parse("name,email\r\nAda,ada@x.example\nGrace,\n\n").ToList();

        Assert.Equal([["name", "email"], ["Ada", "ada@x.example"], ["Grace", ""]], rows);
    }

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks()
    {
        var rows = CsvRows.Parse("name,notes\n\"Lovelace, Ada\",\"said \"\"yes\"\"\nthen left\"").ToList();

        Assert.Equal(["Lovelace, Ada", "said \"yes\"\nthen left"], rows[1]);
    }

    [Theory]
    [InlineData("name\n\"Ada")]
    [InlineData("name\nA\"da")]
    public void Broken_quoting_is_refused_with_its_line(string text)
    {
        var error = Assert.Throws<FormatException>(() => CsvRows.Parse(text).ToList());
        Assert.StartsWith("Line 2", error.Message);
    }
}

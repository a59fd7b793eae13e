using System.Text;
using Funnel.Leads.Features.ImportLeads;

namespace Funnel.UnitTests;

public class ImportFileTests
{
    private static List<CsvRow> Read(string text) => ImportFile.Rows(new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();

    [Fact]
    public void Rows_come_by_column_name_on_CRLF_or_LF_and_blank_lines_are_skipped()
    {
        var rows = Read("Name,EMAIL\r\nAda,ada@x.example\nGrace,\n\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal(("Ada", "ada@x.example"), (rows[0].Fields["name"], rows[0].Fields["email"]));
        Assert.Equal("", rows[1].Fields["email"]);
    }

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks_and_a_long_row_is_marked()
    {
        var rows = Read("name,notes\n\"Lovelace, Ada\",\"said \"\"yes\"\"\nthen left\"\nBabbage,x,extra\n");

        Assert.Equal(("Lovelace, Ada", "said \"yes\"\nthen left"), (rows[0].Fields["name"], rows[0].Fields["notes"]));
        Assert.False(rows[0].HasExtraFields);
        Assert.True(rows[1].HasExtraFields);
    }

    [Theory]
    [InlineData("name\nAda\n\"Grace", "Line 3")]
    [InlineData("name\nA\"da", "Line 2")]
    [InlineData("name\n\"A\"da\"", "Line 2")]
    public void Broken_quoting_is_refused_with_its_line(string text, string line)
    {
        var error = Assert.Throws<ImportFileException>(() => Read(text));
        Assert.StartsWith(line, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nom,courriel\nA,a@b.example")]
    [InlineData("name,email,name\nA,a@b.example,B")]
    public void A_file_without_a_proper_header_is_refused(string text) =>
        Assert.Throws<ImportFileException>(() => Read(text));
}

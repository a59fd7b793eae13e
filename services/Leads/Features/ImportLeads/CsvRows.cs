using System.Text;

namespace Funnel.Leads.Features.ImportLeads;

/// <summary>
/// RFC 4180 CSV: comma-separated fields, double quotes around fields that hold commas, quotes or line breaks, a quote
/// inside doubled. Lines end in CRLF or LF; blank lines are skipped.
/// </summary>
public static class CsvRows
{
    public static IEnumerable<string[]> Parse(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
                line++;
                if (fields.Count > 0 || field.Length > 0)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return fields.ToArray();
                    fields.Clear();
                }
            }
            else if (c == '"')
            {
                throw new FormatException($"Line {line}: a quote inside an unquoted field; quote the field and double the quote.");
            }
            else
            {
                field.Append(c);
            }
        }
        if (quoted)
        {
            throw new FormatException($"Line {line}: a quoted field is not closed.");
        }
        if (fields.Count > 0 || field.Length > 0)
        {
            fields.Add(field.ToString());
            yield return fields.ToArray();
        }
    }
}

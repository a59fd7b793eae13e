using nietras.SeparatedValues;

namespace Funnel.Leads.Features.ImportLeads;

/// <summary>A data row of the file by column name; <c>HasExtraFields</c> when it has more fields than the header.</summary>
public sealed record CsvRow(IReadOnlyDictionary<string, string> Fields, bool HasExtraFields);

/// <summary>The file cannot be read as an import: a bad header, or broken quoting (with its line).</summary>
public sealed class ImportFileException(string message) : Exception(message);

/// <summary>
/// An import's CSV file (RFC 4180: comma-separated, fields with commas, quotes or line breaks in double quotes, a quote
/// inside doubled), read as a stream with Sep: the header is checked, then each data row comes by column name. Sep
/// splits leniently, so each field's quoting is checked here: a broken quote would otherwise swallow rows unseen.
/// </summary>
public static class ImportFile
{
    public const string Header = "name,company,email,phone,source,owner";
    private static readonly string[] Columns = ["name", "company", "email", "phone", "source", "owner", "notes", "referredby"];

    public static IEnumerable<CsvRow> Rows(Stream file)
    {
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true }).From(file);
        string[]? header = null;
        while (reader.MoveNext())
        {
            var fields = Fields(reader);
            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue;
            }
            if (header is null)
            {
                header = CheckHeader(fields);
                continue;
            }
            // A short row leaves its last fields empty; a long one is rejected by the row's validation.
            yield return new CsvRow(
                header.Select((name, c) => (name, value: c < fields.Length ? fields[c].Trim() : ""))
                    .ToDictionary(f => f.name, f => f.value),
                fields.Length > header.Length);
        }
        if (header is null)
        {
            throw new ImportFileException($"The file is empty; its first line must be the header {Header}.");
        }
    }

    private static string[] CheckHeader(string[] fields)
    {
        var header = fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        if (!header.Contains("name") || header.Any(h => !Columns.Contains(h)) || header.Distinct().Count() != header.Length)
        {
            throw new ImportFileException($"The header must name the columns {Header} (optionally notes and " +
                                          $"referredBy), each once; it has: {string.Join(",", fields)}.");
        }
        return header;
    }

    private static string[] Fields(SepReader reader)
    {
        var row = reader.Current;
        var fields = new string[row.ColCount];
        for (var c = 0; c < row.ColCount; c++)
        {
            fields[c] = Unquote(row[c].Span, row.LineNumberFrom);
        }
        return fields;
    }

    /// <summary>A field as RFC 4180 writes it: bare without quotes, or quoted whole with inner quotes doubled.</summary>
    private static string Unquote(ReadOnlySpan<char> raw, int line)
    {
        if (raw.IndexOf('"') < 0)
        {
            return raw.ToString();
        }
        if (raw.Length < 2 || raw[0] != '"' || raw[^1] != '"')
        {
            throw new ImportFileException($"Line {line}: a quote in a field that is not quoted whole, or a quoted " +
                                          "field that is not closed.");
        }
        var inner = raw[1..^1];
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '"' && (++i >= inner.Length || inner[i] != '"'))
            {
                throw new ImportFileException($"Line {line}: a quote inside a quoted field must be doubled.");
            }
        }
        return inner.ToString().Replace("\"\"", "\"", StringComparison.Ordinal);
    }
}

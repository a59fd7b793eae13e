using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Funnel.Leads.Features.CaptureLead;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Funnel.Leads.Features.ImportLeads;

public enum ImportOutcome { Imported, Qualified, Duplicate, Rejected }

/// <summary>What became of one row; <c>row</c> counts data rows from 1.</summary>
public sealed record ImportRowResult(
    int Row, ImportOutcome Outcome, Guid? ContactId, Guid? ExistingContactId,
    IReadOnlyDictionary<string, string[]>? Errors, IReadOnlyList<string>? Unmet);

/// <summary>A data row of the file by column name; <c>HasExtraFields</c> when it has more fields than the header.</summary>
public sealed record CsvRow(IReadOnlyDictionary<string, string> Fields, bool HasExtraFields);

public sealed record ImportResult(
    int Rows, int Imported, int Qualified, int Duplicates, int Rejected, IReadOnlyList<ImportRowResult> Results);

/// <summary>
/// <c>POST /api/leads/import</c>: a <c>text/csv</c> file with the header <c>name,company,email,phone,source,owner</c>
/// (<c>notes</c> and <c>referredBy</c> optional). Every row is imported, a duplicate (of a stored lead or an earlier
/// row, with its id) or rejected (with its errors); the rows that import commit together. With <c>?qualify=true</c>
/// each imported lead also goes through the lead gate: qualified when it meets it, else imported with its unmet tasks.
/// </summary>
public static class ImportLeadsEndpoint
{
    public const int MaxRows = 50_000;
    private const long MaxBytes = 32 * 1024 * 1024;
    private const int LookupChunk = 500;
    private static readonly string[] Columns = ["name", "company", "email", "phone", "source", "owner", "notes", "referredby"];

    public static void MapImportLeads(this IEndpointRouteBuilder app) =>
        app.MapPost("/import", Handle)
            .WithName("ImportLeads")
            .Accepts<string>("text/csv")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBytes))
            .WithSummary("Import leads from CSV: per row imported, duplicate (with existing id) or rejected (with errors).");

    private static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Handle(
        HttpRequest request, LeadsDbContext db, StageGate gate, IOptionsSnapshot<LeadsOptions> options,
        TimeProvider time, Caller caller, CancellationToken cancellationToken, bool qualify = false)
    {
        if (request.ContentType is null || !request.ContentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                type: "urn:funnel:problem:unsupported-media-type", title: "The import takes a CSV file",
                detail: "Send the file with Content-Type: text/csv and the header row name,company,email,phone,source,owner.");
        }

        var (rows, fileProblem) = await ReadAsync(request.Body, cancellationToken);
        if (fileProblem is not null)
        {
            return Problems.Invalid("file", fileProblem);
        }

        var results = new ImportRowResult?[rows.Count];
        var accepted = new List<(int Index, LeadInput Input, string? Email, string? Phone)>();
        var customers = await KnownReferrersAsync(db, rows, cancellationToken);
        for (var i = 0; i < rows.Count; i++)
        {
            var validation = Validate(rows[i], customers, out var input, out var email, out var phone);
            if (!caller.IsManager)
            {
                // A salesperson imports leads for themselves.
                validation.Check(input!.Owner is null || input.Owner == caller.Name, "owner",
                    "A salesperson imports leads for themselves; a manager assigns them to others.");
                input = input with { Owner = caller.Name };
            }
            if (validation.IsValid)
            {
                accepted.Add((i, input!, email, phone));
            }
            else
            {
                results[i] = new ImportRowResult(i + 1, ImportOutcome.Rejected, null, null, validation.Errors, null);
            }
        }

        var now = time.GetUtcNow();
        var existing = await ExistingContactsAsync(db, accepted.Select(a => a.Email), accepted.Select(a => a.Phone), cancellationToken);
        var leadsSoFar = await db.Leads.CountAsync(cancellationToken);
        foreach (var (index, input, email, phone) in accepted)
        {
            var duplicateOf = (email is not null ? existing.GetValueOrDefault(email) : null)
                              ?? (phone is not null ? existing.GetValueOrDefault(phone) : null);
            if (duplicateOf is not null)
            {
                // The existing lead is named only to a caller who may see it.
                results[index] = new ImportRowResult(index + 1, ImportOutcome.Duplicate, null,
                    caller.Owns(duplicateOf.Owner) ? duplicateOf.ContactId : null, null, null);
                continue;
            }

            var lead = db.Capture(input, email, phone,
                LeadIntake.OwnerFor(caller, input.Owner, options.Value.Salespeople, leadsSoFar++), gate, now);
            // Later rows with the same email or phone are duplicates of this one.
            if (email is not null) existing[email] = new ExistingLead(lead.ContactId, lead.Owner);
            if (phone is not null) existing[phone] = new ExistingLead(lead.ContactId, lead.Owner);

            var unmet = gate.Unmet(lead.DoneTasks());
            if (qualify && unmet.Count == 0)
            {
                lead.Qualify(gate, now);
            }
            results[index] = new ImportRowResult(index + 1,
                lead.Status == LeadStatus.Qualified ? ImportOutcome.Qualified : ImportOutcome.Imported,
                lead.ContactId, null, null, unmet.Count > 0 ? unmet : null);
        }

        // One transaction: the import lands whole or not at all. A capture racing it on the same person makes the
        // unique index refuse it; the caller retries and those rows come back as duplicates.
        await db.SaveChangesAsync(cancellationToken);

        var all = results.Select(r => r!).ToList();
        return TypedResults.Ok(new ImportResult(all.Count,
            all.Count(r => r.Outcome == ImportOutcome.Imported), all.Count(r => r.Outcome == ImportOutcome.Qualified),
            all.Count(r => r.Outcome == ImportOutcome.Duplicate), all.Count(r => r.Outcome == ImportOutcome.Rejected), all));
    }

    private static async Task<(List<CsvRow> Rows, string? Problem)> ReadAsync(
        Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        try
        {
            using var lines = CsvRows.Parse(text).GetEnumerator();
            if (!lines.MoveNext())
            {
                return ([], "The file is empty; its first line must be the header name,company,email,phone,source,owner.");
            }
            var header = lines.Current.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            if (!header.Contains("name") || header.Any(h => !Columns.Contains(h)) || header.Distinct().Count() != header.Length)
            {
                return ([], "The header must name the columns name,company,email,phone,source,owner (optionally notes " +
                            $"and referredBy), each once; it has: {string.Join(",", lines.Current)}.");
            }

            var rows = new List<CsvRow>();
            while (lines.MoveNext())
            {
                if (rows.Count == MaxRows)
                {
                    return ([], $"The file has more than {MaxRows} rows; split it.");
                }
                // A short row leaves its last fields empty; a long one is rejected by the row's validation.
                var fields = lines.Current;
                rows.Add(new CsvRow(
                    header.Select((name, c) => (name, value: c < fields.Length ? fields[c].Trim() : ""))
                        .ToDictionary(f => f.name, f => f.value),
                    fields.Length > header.Length));
            }
            return (rows, null);
        }
        catch (FormatException ex)
        {
            return ([], $"The file is not valid CSV: {ex.Message}");
        }
    }

    private static Validation Validate(CsvRow row, IReadOnlySet<Guid> customers,
        out LeadInput? input, out string? email, out string? phone)
    {
        var validation = new Validation().Check(!row.HasExtraFields, "row", "The row has more fields than the header.");
        string? Field(string name) => row.Fields.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

        var source = EnumQuery.Parse<LeadSource>(Field("source"), "source", validation);
        Guid? referredBy = null;
        if (Field("referredby") is { } referrer)
        {
            if (Guid.TryParse(referrer, out var id))
            {
                referredBy = id;
            }
            else
            {
                validation.Add("referredBy", "'referredBy' must be a contact id.");
            }
        }
        input = new LeadInput(Field("name"), Field("company"), Field("email"), Field("phone"), source ?? LeadSource.Import,
            referredBy, Field("owner"), Field("notes"));
        validation.Merge(LeadIntake.Validate(input, out email, out phone));
        validation.Check(referredBy is null || customers.Contains(referredBy.Value), "referredBy",
            $"'referredBy' must be a customer; {referredBy} is not one.");
        return validation;
    }

    /// <summary>The referrers named in the file that are customers, in one query.</summary>
    private static async Task<IReadOnlySet<Guid>> KnownReferrersAsync(LeadsDbContext db,
        List<CsvRow> rows, CancellationToken cancellationToken)
    {
        var named = rows.Select(r => Guid.TryParse(r.Fields.GetValueOrDefault("referredby"), out var id) ? id : (Guid?)null)
            .OfType<Guid>().Distinct().ToList();
        var known = new HashSet<Guid>();
        foreach (var chunk in named.Chunk(LookupChunk))
        {
            known.UnionWith(await db.Customers.Where(c => chunk.Contains(c.ContactId)).Select(c => c.ContactId)
                .ToListAsync(cancellationToken));
        }
        return known;
    }

    /// <summary>Stored leads by normalised email and phone, for the values in the file, a chunk per query.</summary>
    private static async Task<Dictionary<string, ExistingLead>> ExistingContactsAsync(LeadsDbContext db,
        IEnumerable<string?> emails, IEnumerable<string?> phones, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, ExistingLead>();
        foreach (var chunk in emails.OfType<string>().Distinct().Chunk(LookupChunk))
        {
            foreach (var hit in await db.Leads.Where(l => chunk.Contains(l.NormalizedEmail))
                         .Select(l => new { l.NormalizedEmail, l.ContactId, l.Owner }).ToListAsync(cancellationToken))
            {
                existing[hit.NormalizedEmail!] = new ExistingLead(hit.ContactId, hit.Owner);
            }
        }
        foreach (var chunk in phones.OfType<string>().Distinct().Chunk(LookupChunk))
        {
            foreach (var hit in await db.Leads.Where(l => chunk.Contains(l.NormalizedPhone))
                         .Select(l => new { l.NormalizedPhone, l.ContactId, l.Owner }).ToListAsync(cancellationToken))
            {
                existing[hit.NormalizedPhone!] = new ExistingLead(hit.ContactId, hit.Owner);
            }
        }
        return existing;
    }
}

using Funnel.Infrastructure.Gates;
using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Funnel.Leads.Features.CaptureLead;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Funnel.Leads.Features.ImportLeads;

/// <summary>
/// Works an import through from its last committed chunk. A chunk of rows is judged (rejected with its errors, a
/// duplicate of a stored lead or of an earlier row, or captured, and with <c>?qualify=true</c> put through the lead
/// gate), then its leads, its rows' outcomes and the import's counts commit together: no chunk holds the database's
/// write lock for long, and a job cut off resumes exactly after its last commit.
/// </summary>
public sealed class ImportJob(LeadsDbContext db, StageGate gate, IOptionsMonitor<LeadsOptions> options, TimeProvider time)
{
    public const int ChunkRows = 500;

    /// <summary>How long a claim on an import holds without a committed chunk; a dead worker's lapses so.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private const int LookupChunk = 500;

    /// <summary>Leads so far, counted once per run: where a manager's round robin of owners goes on.</summary>
    private int _leadsSoFar;

    /// <summary>
    /// Runs the import <paramref name="claimant"/> has claimed to its end; false if another took it over (this one's
    /// lease lapsed). With <paramref name="outcomes"/>, the rows' outcomes are collected there too.
    /// </summary>
    public async Task<bool> RunAsync(Guid importId, string claimant, List<ImportRowOutcome>? outcomes,
        CancellationToken cancellationToken)
    {
        var import = await db.Imports.SingleAsync(i => i.ImportId == importId, cancellationToken);
        if (!import.Received)
        {
            // The process that received it died before the file was whole.
            import.Fail("The file did not arrive whole; send it again.", time.GetUtcNow());
            await CloseAsync(db, import, cancellationToken);
            return true;
        }
        var caller = new Caller(import.Caller, import.CallerIsManager);
        _leadsSoFar = caller.IsManager ? await db.Leads.CountAsync(cancellationToken) : 0;
        try
        {
            foreach (var chunk in ImportFile.Rows(ImportSpool.Read(db, importId)).Skip(import.Processed).Chunk(ChunkRows))
            {
                var (committed, chunkOutcomes) = await CommitChunkAsync(import, chunk, caller, claimant, cancellationToken);
                if (!committed)
                {
                    return false;
                }
                outcomes?.AddRange(chunkOutcomes);
                import = await db.Imports.SingleAsync(i => i.ImportId == importId, cancellationToken);
            }
            import.Finish(time.GetUtcNow());
        }
        catch (Exception exception) when (exception is ImportFileException or DbUpdateException)
        {
            db.ChangeTracker.Clear();
            import = await db.Imports.SingleAsync(i => i.ImportId == importId, cancellationToken);
            import.Fail($"Stopped after row {import.Processed} (the rows before it are committed, each with its " +
                        $"outcome): {exception.Message}", time.GetUtcNow());
        }
        await CloseAsync(db, import, cancellationToken);
        return true;
    }

    /// <summary>
    /// The import is over: its state saved, its file (personal data it no longer needs) and the caller's running slot
    /// let go, in one transaction, so no crash leaves the caller unable to import again.
    /// </summary>
    public static async Task CloseAsync(LeadsDbContext db, LeadImport import, CancellationToken cancellationToken)
    {
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.ImportParts.Where(p => p.ImportId == import.ImportId).ExecuteDeleteAsync(cancellationToken);
            await db.RunningImports.Where(r => r.Caller == import.Caller && r.ImportId == import.ImportId)
                .ExecuteDeleteAsync(cancellationToken);
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        db.ChangeTracker.AcceptAllChanges();
    }

    private async Task<(bool Committed, List<ImportRowOutcome> Outcomes)> CommitChunkAsync(LeadImport import,
        CsvRow[] chunk, Caller caller, string claimant, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcomes = await JudgeAsync(import, chunk, caller, cancellationToken);
            db.ImportRows.AddRange(outcomes);
            import.Advance(outcomes);
            import.ClaimedUntil = time.GetUtcNow() + Lease;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return (true, outcomes);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // A capture of the same person, or another worker on this import, committed first: the chunk rolled
                // back whole. Judged again, the raced person is a duplicate; another worker's claim ends this one.
                db.ChangeTracker.Clear();
                import = await db.Imports.AsNoTracking().SingleAsync(i => i.ImportId == import.ImportId, cancellationToken);
                if (import.ClaimedBy != claimant)
                {
                    return (false, []);
                }
                db.Attach(import);
            }
        }
    }

    private async Task<List<ImportRowOutcome>> JudgeAsync(LeadImport import, CsvRow[] chunk, Caller caller,
        CancellationToken cancellationToken)
    {
        var outcomes = new ImportRowOutcome?[chunk.Length];
        var accepted = new List<(int Index, LeadInput Input, string? Email, string? Phone)>();
        var customers = await KnownReferrersAsync(chunk, cancellationToken);
        for (var i = 0; i < chunk.Length; i++)
        {
            var validation = Validate(chunk[i], customers, out var input, out var email, out var phone);
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
                outcomes[i] = Outcome(import, i, ImportOutcome.Rejected) with { Errors = validation.Errors };
            }
        }

        var now = time.GetUtcNow();
        var existing = await ExistingContactsAsync(accepted.Select(a => a.Email), accepted.Select(a => a.Phone), cancellationToken);
        foreach (var (index, input, email, phone) in accepted)
        {
            var duplicateOf = (email is not null ? existing.GetValueOrDefault(email) : null)
                              ?? (phone is not null ? existing.GetValueOrDefault(phone) : null);
            if (duplicateOf is not null)
            {
                // The existing lead is named only to a caller who may see it.
                outcomes[index] = Outcome(import, index, ImportOutcome.Duplicate) with
                {
                    ExistingContactId = caller.Owns(duplicateOf.Owner) ? duplicateOf.ContactId : null,
                };
                continue;
            }

            var lead = db.Capture(input, email, phone,
                LeadIntake.OwnerFor(caller, input.Owner, options.CurrentValue.Salespeople, _leadsSoFar++), gate, now);
            // Later rows with the same email or phone are duplicates of this one.
            if (email is not null) existing[email] = new ExistingLead(lead.ContactId, lead.Owner);
            if (phone is not null) existing[phone] = new ExistingLead(lead.ContactId, lead.Owner);

            var unmet = gate.Unmet(lead.DoneTasks());
            if (import.Qualify && unmet.Count == 0)
            {
                lead.Qualify(gate, now);
            }
            outcomes[index] = Outcome(import, index,
                lead.Status == LeadStatus.Qualified ? ImportOutcome.Qualified : ImportOutcome.Imported) with
            {
                ContactId = lead.ContactId,
                Unmet = unmet.Count > 0 ? unmet : null,
            };
        }
        return outcomes.Select(o => o!).ToList();
    }

    private static ImportRowOutcome Outcome(LeadImport import, int indexInChunk, ImportOutcome outcome) => new()
    {
        ImportId = import.ImportId,
        Row = import.Processed + indexInChunk + 1,
        Outcome = outcome,
    };

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

    /// <summary>The referrers named in the chunk that are customers, in one query.</summary>
    private async Task<IReadOnlySet<Guid>> KnownReferrersAsync(CsvRow[] rows, CancellationToken cancellationToken)
    {
        var named = rows.Select(r => Guid.TryParse(r.Fields.GetValueOrDefault("referredby"), out var id) ? id : (Guid?)null)
            .OfType<Guid>().Distinct().ToList();
        return named.Count == 0
            ? new HashSet<Guid>()
            : (await db.Customers.Where(c => named.Contains(c.ContactId)).Select(c => c.ContactId)
                .ToListAsync(cancellationToken)).ToHashSet();
    }

    /// <summary>Stored leads by normalised email and phone, for the values in the chunk, a query per kind.</summary>
    private async Task<Dictionary<string, ExistingLead>> ExistingContactsAsync(IEnumerable<string?> emails,
        IEnumerable<string?> phones, CancellationToken cancellationToken)
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

using Funnel.Infrastructure.Http;
using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Leads.Features.ImportLeads;

/// <summary>What became of one row; <c>row</c> counts data rows from 1.</summary>
public sealed record ImportRowResult(
    int Row, ImportOutcome Outcome, Guid? ContactId, Guid? ExistingContactId,
    IReadOnlyDictionary<string, string[]>? Errors, IReadOnlyList<string>? Unmet)
{
    public static ImportRowResult From(ImportRowOutcome row) =>
        new(row.Row, row.Outcome, row.ContactId, row.ExistingContactId, row.Errors, row.Unmet);
}

public sealed record ImportResult(
    Guid ImportId, int Rows, int Imported, int Qualified, int Duplicates, int Rejected, IReadOnlyList<ImportRowResult> Results);

/// <summary>
/// <c>POST /api/leads/import</c>: a <c>text/csv</c> file with the header <c>name,company,email,phone,source,owner</c>
/// (<c>notes</c> and <c>referredBy</c> optional). Every row is imported, a duplicate (of a stored lead or an earlier
/// row) or rejected (with its errors); with <c>?qualify=true</c> each imported lead also goes through the lead gate.
/// The file is stored as it arrives and checked whole first (a broken file is a 400 and imports nothing); up to
/// <see cref="AnswerAtOnceRows"/> rows are answered at once, a larger file (or <c>Prefer: respond-async</c>) with 202
/// and the import's progress at its <c>Location</c>. One import per user runs at a time.
/// </summary>
public static class ImportLeadsEndpoint
{
    public const int MaxRows = 50_000;
    public const int AnswerAtOnceRows = 1_000;
    private const long MaxBytes = 32 * 1024 * 1024;

    public static void MapImportLeads(this IEndpointRouteBuilder app) =>
        app.MapPost("/import", Handle)
            .WithName("ImportLeads")
            .Accepts<string>("text/csv")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBytes))
            .WithSummary("Import leads from CSV: per row imported, duplicate (with existing id) or rejected (with errors).");

    private static async Task<Results<Ok<ImportResult>, Accepted<ImportProgress>, ValidationProblem, ProblemHttpResult>> Handle(
        HttpRequest request, LeadsDbContext db, ImportJob job, ImportSignal signal, TimeProvider time, Caller caller,
        CancellationToken cancellationToken, bool qualify = false)
    {
        if (request.ContentType is null || !request.ContentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                type: "urn:funnel:problem:unsupported-media-type", title: "The import takes a CSV file",
                detail: $"Send the file with Content-Type: text/csv and the header row {ImportFile.Header}.");
        }

        var now = time.GetUtcNow();
        var claimant = $"request/{Guid.NewGuid():N}";
        var import = new LeadImport
        {
            ImportId = Guid.CreateVersion7(),
            Caller = caller.Name,
            CallerIsManager = caller.IsManager,
            Qualify = qualify,
            CreatedAt = now,
            ClaimedBy = claimant,
            ClaimedUntil = now + ImportJob.Lease,
        };
        db.Imports.Add(import);
        db.RunningImports.Add(new RunningImport { Caller = caller.Name, ImportId = import.ImportId });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return await AlreadyRunningAsync(db, caller, cancellationToken);
        }

        var parts = await ImportSpool.WriteAsync(db, import.ImportId, request.Body, cancellationToken);
        int rows;
        try
        {
            rows = ImportFile.Rows(ImportSpool.Read(db, import.ImportId)).Count();
            if (rows > MaxRows)
            {
                throw new ImportFileException($"The file has more than {MaxRows} rows; split it.");
            }
        }
        catch (ImportFileException exception)
        {
            // Nothing is imported from a file that cannot be read whole.
            import.Fail(exception.Message, time.GetUtcNow());
            import.Receive(parts, 0);
            await ImportJob.CloseAsync(db, import, cancellationToken);
            return Problems.Invalid("file", exception.Message);
        }
        import.Receive(parts, rows);

        if (rows > AnswerAtOnceRows || request.Headers["Prefer"].ToString().Contains("respond-async", StringComparison.OrdinalIgnoreCase))
        {
            // Handed to the worker of whichever replica takes it up first.
            import.ClaimedBy = null;
            import.ClaimedUntil = null;
            await db.SaveChangesAsync(cancellationToken);
            signal.Notify();
            var location = $"/api/leads/imports/{import.ImportId}";
            return TypedResults.Accepted(location, ImportProgress.From(import, null));
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var outcomes = new List<ImportRowOutcome>();
        await job.RunAsync(import.ImportId, claimant, outcomes, cancellationToken);
        var done = await db.Imports.AsNoTracking().SingleAsync(i => i.ImportId == import.ImportId, cancellationToken);
        if (done.Status == ImportStatus.Failed)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: "urn:funnel:problem:import-failed",
                title: "The import stopped", detail: done.Failure);
        }
        return TypedResults.Ok(new ImportResult(done.ImportId, done.Rows, done.Imported, done.Qualified, done.Duplicates,
            done.Rejected, outcomes.Select(ImportRowResult.From).ToList()));
    }

    private static async Task<ProblemHttpResult> AlreadyRunningAsync(LeadsDbContext db, Caller caller,
        CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var running = await db.RunningImports.AsNoTracking().Where(r => r.Caller == caller.Name)
            .Select(r => (Guid?)r.ImportId).SingleOrDefaultAsync(cancellationToken);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests,
            type: "urn:funnel:problem:import-running", title: "An import of yours is running",
            detail: "One import per user runs at a time; send this one when it is done.",
            extensions: new Dictionary<string, object?> { ["runningImport"] = running is { } id ? $"/api/leads/imports/{id}" : null });
    }
}

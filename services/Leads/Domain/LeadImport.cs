namespace Funnel.Leads.Domain;

public enum ImportStatus { Running, Done, Failed }

public enum ImportOutcome { Imported, Qualified, Duplicate, Rejected }

/// <summary>
/// A CSV import of leads as a job: its file spooled in the database (<see cref="ImportPart"/>), worked through in
/// chunks that each commit their leads, their rows' outcomes and the job's counts together, so a job cut off (a crash,
/// a stop) resumes after its last committed chunk, on any replica.
/// </summary>
public sealed class LeadImport
{
    public Guid ImportId { get; init; }

    /// <summary>Who imported, and whether as a manager: the rows are judged as that caller's.</summary>
    public required string Caller { get; init; }
    public bool CallerIsManager { get; init; }

    /// <summary><c>?qualify=true</c>: each imported lead also goes through the lead gate.</summary>
    public bool Qualify { get; init; }

    public ImportStatus Status { get; private set; } = ImportStatus.Running;

    /// <summary>The file's data rows, counted before any is worked on.</summary>
    public int Rows { get; private set; }

    /// <summary>How many parts the file was stored in.</summary>
    public int Parts { get; private set; }

    /// <summary>The whole file is stored and counted; until then only the request receiving it works on it.</summary>
    public bool Received { get; private set; }

    /// <summary>The rows whose outcome is committed; a resumed job starts after them.</summary>
    public int Processed { get; private set; }

    public int Imported { get; private set; }
    public int Qualified { get; private set; }
    public int Duplicates { get; private set; }
    public int Rejected { get; private set; }

    /// <summary>Why a failed import stopped; the rows before it are committed with their outcomes.</summary>
    public string? Failure { get; private set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The worker (or request) working on it, until when: a lease that lapses if that process dies.</summary>
    public string? ClaimedBy { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }

    public void Receive(int parts, int rows)
    {
        Parts = parts;
        Rows = rows;
        Received = true;
    }

    /// <summary>Counts a chunk's outcomes; they commit with the chunk.</summary>
    public void Advance(IReadOnlyCollection<ImportRowOutcome> chunk)
    {
        Processed += chunk.Count;
        Imported += chunk.Count(r => r.Outcome == ImportOutcome.Imported);
        Qualified += chunk.Count(r => r.Outcome == ImportOutcome.Qualified);
        Duplicates += chunk.Count(r => r.Outcome == ImportOutcome.Duplicate);
        Rejected += chunk.Count(r => r.Outcome == ImportOutcome.Rejected);
    }

    public void Finish(DateTimeOffset now)
    {
        Status = ImportStatus.Done;
        FinishedAt = now;
        ClaimedBy = null;
        ClaimedUntil = null;
    }

    public void Fail(string why, DateTimeOffset now)
    {
        Status = ImportStatus.Failed;
        Failure = why;
        FinishedAt = now;
        ClaimedBy = null;
        ClaimedUntil = null;
    }
}

/// <summary>One piece of an import's file, as received; the pieces in order are the file.</summary>
public sealed class ImportPart
{
    public Guid ImportId { get; init; }
    public int Part { get; init; }
    public required byte[] Bytes { get; init; }
}

/// <summary>What became of one row; <c>row</c> counts data rows from 1.</summary>
public sealed record ImportRowOutcome
{
    public Guid ImportId { get; init; }
    public int Row { get; init; }
    public ImportOutcome Outcome { get; init; }
    public Guid? ContactId { get; init; }

    /// <summary>For a duplicate: the lead it duplicates, only where the importer may see it.</summary>
    public Guid? ExistingContactId { get; init; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
    public IReadOnlyList<string>? Unmet { get; init; }
}

/// <summary>The one import a user has running: its key makes a second one fail, on any replica.</summary>
public sealed class RunningImport
{
    public required string Caller { get; init; }
    public Guid ImportId { get; init; }
}

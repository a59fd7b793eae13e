using Funnel.Leads.Data;
using Funnel.Leads.Domain;
using Microsoft.EntityFrameworkCore;

namespace Funnel.Leads.Features.ImportLeads;

/// <summary>
/// An import's file kept in the service's database a part at a time: written as the request body arrives (so no more
/// than a part is in memory), read back as one stream by whichever replica works on the import.
/// </summary>
public static class ImportSpool
{
    private const int PartBytes = 1024 * 1024;

    /// <summary>Stores <paramref name="body"/> in parts, each committed as it fills; returns how many parts.</summary>
    public static async Task<int> WriteAsync(LeadsDbContext db, Guid importId, Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[PartBytes];
        var parts = 0;
        while (await body.ReadAtLeastAsync(buffer, PartBytes, throwOnEndOfStream: false, cancellationToken) is var filled and > 0)
        {
            var part = new ImportPart { ImportId = importId, Part = parts++, Bytes = buffer[..filled] };
            db.ImportParts.Add(part);
            await db.SaveChangesAsync(cancellationToken);
            db.Entry(part).State = EntityState.Detached;
        }
        return parts;
    }

    public static Stream Read(LeadsDbContext db, Guid importId) => new SpoolStream(db, importId);

    /// <summary>The parts in order, fetched one at a time as the reader gets to them.</summary>
    private sealed class SpoolStream(LeadsDbContext db, Guid importId) : Stream
    {
        private byte[] _part = [];
        private int _offset;
        private int _next;

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_offset == _part.Length)
            {
                var next = db.ImportParts.AsNoTracking().Where(p => p.ImportId == importId && p.Part == _next)
                    .Select(p => p.Bytes).SingleOrDefault();
                if (next is null)
                {
                    return 0;
                }
                (_part, _offset, _next) = (next, 0, _next + 1);
            }
            var read = Math.Min(count, _part.Length - _offset);
            Array.Copy(_part, _offset, buffer, offset, read);
            _offset += read;
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using Bindery.Persistence;
using Bindery.Server.Api.Admin;

namespace Bindery.Server.Infrastructure;

/// <summary>
/// Several nodes on one PostgreSQL database share one movable clock: each write and each settling read first
/// reads the stored offset, so a move made through any node holds on every node from its next request on.
/// With SQLite (one node) the offset is read once at start and moved in memory on each commit.
/// </summary>
public sealed class ClockSync(AdjustableClock clock, bool sharedStore, bool movable)
{
    /// <summary>True when several nodes may share the database (PostgreSQL).</summary>
    public bool SharedStore => sharedStore;

    public async Task Refresh(BinderyDb db, CancellationToken ct)
    {
        if (sharedStore && movable)
        {
            await AdvanceClock.Restore(db, clock, ct);
        }
    }
}

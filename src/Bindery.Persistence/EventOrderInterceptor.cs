using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bindery.Persistence;

/// <summary>
/// PostgreSQL only: before a transaction first inserts events, it takes the event-order lock (see
/// <see cref="Store.LockEventOrder"/>), so sequence numbers commit in the order they are handed out.
/// </summary>
public sealed class EventOrderInterceptor : SaveChangesInterceptor
{
    private static readonly ConditionalWeakTable<object, object> Locked = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } db)
        {
            await LockIfAppendingEvents(db, cancellationToken);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } db)
        {
            LockIfAppendingEvents(db, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    /// <summary>Takes the lock once per transaction, when rows about to be saved include new events.</summary>
    public static async Task LockIfAppendingEvents(DbContext db, CancellationToken ct)
    {
        // Keyed by EF Core's transaction object, new for each transaction (Npgsql reuses its own per connection).
        var tx = db.Database.CurrentTransaction;
        if (tx is null || Locked.TryGetValue(tx, out _))
        {
            return;
        }
        if (!db.ChangeTracker.Entries<EventRow>().Any(e => e.State == EntityState.Added))
        {
            return;
        }
        await Store.LockEventOrder(db, ct);
        Locked.AddOrUpdate(tx, tx);
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace Bindery.Persistence;

/// <summary>Which database holds the data: SQLite (the default, one node) or PostgreSQL (one or several nodes).</summary>
public enum StoreProvider { Sqlite, Postgres }

/// <summary>
/// Everything that differs between the two providers, in one place: how a context is configured, which migration
/// folder applies, and the few PostgreSQL statements that make several nodes safe (docs/adr/0011).
/// </summary>
public static class Store
{
    /// <summary>Reads <c>Bindery:Database:Provider</c>: "sqlite" (default) or "postgres" / "postgresql".</summary>
    public static bool TryParse(string? name, out StoreProvider provider)
    {
        provider = StoreProvider.Sqlite;
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or "sqlite":
                return true;
            case "postgres" or "postgresql" or "npgsql":
                provider = StoreProvider.Postgres;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The folder under Migrations/ whose scripts build this provider's schema.</summary>
    public static string MigrationFolder(StoreProvider provider) => provider == StoreProvider.Postgres ? "Postgres" : "Sqlite";

    public static DbContextOptionsBuilder Use(this DbContextOptionsBuilder options, StoreProvider provider, string connectionString) =>
        provider == StoreProvider.Postgres
            ? options.UseNpgsql(connectionString).AddInterceptors(new EventOrderInterceptor())
            : options.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas());

    public static bool IsPostgres(this DatabaseFacade database) =>
        string.Equals(database.ProviderName, "Npgsql.EntityFrameworkCore.PostgreSQL", StringComparison.Ordinal);

    /// <summary>
    /// A PostgreSQL serialization failure (40001) or deadlock (40P01): the transaction was rolled back and running it
    /// again from the start is safe. Looks through EF Core's wrappers.
    /// </summary>
    public static bool IsRetryableConflict(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A unique or other constraint violation raised by PostgreSQL (class 23).</summary>
    public static bool IsConstraintViolation(Exception e) =>
        e is PostgresException p && p.SqlState.StartsWith("23", StringComparison.Ordinal);

    /// <summary>
    /// Several nodes, one writer at a time (ADR 0011): every write transaction on PostgreSQL first takes this
    /// transaction-level advisory lock, held until commit or rollback. Under READ COMMITTED each later statement then
    /// reads everything committed before, so the rules (capacity, quotas, one shop per account) and the settling of
    /// due transitions run exactly as under SQLite's single writer, on any number of nodes.
    /// </summary>
    public static async Task LockWrites(DbContext db, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({WriteLockKey})", ct);

    /// <summary>Arbitrary, fixed advisory-lock keys of this application (pg_advisory_*).</summary>
    public const long WriteLockKey = 0x42_49_4E_44_57_52_54; // "BINDWRT"
    public const long EventOrderLockKey = 0x42_49_4E_44_45_56_54; // "BINDEVT"
    public const long StartupLockKey = 0x42_49_4E_44_53_54_52; // "BINDSTR"

    /// <summary>
    /// X-2 on several nodes: takes the transaction-level lock that orders event appends, so event sequence numbers
    /// become visible in the order they were assigned (a reader polling <c>after=</c> never skips one that commits
    /// late). Held until the transaction ends; taken once per transaction (re-taking it is harmless). No-op on SQLite,
    /// whose single writer already gives this order.
    /// </summary>
    public static async Task LockEventOrder(DbContext db, CancellationToken ct)
    {
        if (db.Database.IsPostgres() && db.Database.CurrentTransaction is not null)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({EventOrderLockKey})", ct);
        }
    }
}

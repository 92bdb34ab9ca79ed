using Npgsql;

namespace Bindery.Server.Tests;

/// <summary>
/// Which database the server tests run on. SQLite always; the same suite runs again on PostgreSQL when ./test.sh finds
/// <c>BINDERY_TEST_PG</c> (an Npgsql connection string of a role that may create databases) and sets
/// <c>BINDERY_TEST_PROVIDER=postgres</c>. Tests own their data: each host gets a database of its own, dropped after.
/// </summary>
public static class TestDb
{
    public static string? AdminConnectionString => Environment.GetEnvironmentVariable("BINDERY_TEST_PG") is { Length: > 0 } s ? s : null;

    /// <summary>True in the PostgreSQL pass of the suite.</summary>
    public static bool IsPostgres
    {
        get
        {
            var wanted = string.Equals(Environment.GetEnvironmentVariable("BINDERY_TEST_PROVIDER"), "postgres", StringComparison.OrdinalIgnoreCase);
            if (wanted && AdminConnectionString is null)
            {
                throw new InvalidOperationException("BINDERY_TEST_PROVIDER=postgres needs BINDERY_TEST_PG (an Npgsql connection string).");
            }
            return wanted;
        }
    }

    public static string ProviderName => IsPostgres ? "postgres" : "sqlite";

    /// <summary>Creates an empty database with a unique name; answers its connection string.</summary>
    public static string CreatePostgres(string purpose)
    {
        var name = $"bindery_t_{purpose}_{Guid.NewGuid():N}";
        using var conn = new NpgsqlConnection(AdminConnectionString);
        conn.Open();
        using (var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn))
        {
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, MaxPoolSize = 20 }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreatePostgres"/> (closing what still points at it).</summary>
    public static void DropPostgres(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }
        using var conn = new NpgsqlConnection(AdminConnectionString);
        conn.Open();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
                cmd.ExecuteNonQuery();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                // An autovacuum worker on the database: a role without pg_signal_backend may not end it; it ends soon.
                Thread.Sleep(250);
            }
        }
    }
}

/// <summary>Removes what a test host stored: its PostgreSQL database or its SQLite files, and its evidence folder.</summary>
public static class TestStoreCleanup
{
    public static void Remove(string? postgres, string? sqliteFile, string evidencePath)
    {
        if (postgres is not null)
        {
            TestDb.DropPostgres(postgres);
        }
        if (sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { sqliteFile, sqliteFile + "-wal", sqliteFile + "-shm" })
            {
                BestEffort(() => File.Delete(f));
            }
        }
        BestEffort(() =>
        {
            if (Directory.Exists(evidencePath))
            {
                Directory.Delete(evidencePath, recursive: true);
            }
        });
    }

    // Temp files and folders: a leftover is harmless, a failing cleanup must not fail the test.
    private static void BestEffort(Action delete)
    {
        try
        {
            delete();
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A test that needs PostgreSQL: it runs in the suite's PostgreSQL pass and says why it is skipped otherwise.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TestDb.IsPostgres)
        {
            Skip = "needs PostgreSQL: runs in the PostgreSQL pass of ./test.sh (set BINDERY_TEST_PG; .ci/run does)";
        }
    }
}

/// <summary>A test of SQLite itself (its pragmas, its file): it runs in the SQLite pass and says why it is skipped in the PostgreSQL one.</summary>
public sealed class SqliteFactAttribute : FactAttribute
{
    public SqliteFactAttribute()
    {
        if (TestDb.IsPostgres)
        {
            Skip = "tests SQLite's own settings: runs in the SQLite pass of ./test.sh";
        }
    }
}

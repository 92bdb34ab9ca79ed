using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Bindery.Persistence;

/// <summary>
/// Serialises node start-up on one PostgreSQL database (migrations, shared secrets, demo seed): a session-level
/// advisory lock on a connection of its own, released on dispose. Nothing to do on SQLite (one node).
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    private readonly NpgsqlConnection? connection;

    private StartupLock(NpgsqlConnection? connection) => this.connection = connection;

    public static async Task<StartupLock> Take(BinderyDb db, CancellationToken ct)
    {
        if (!db.Database.IsPostgres())
        {
            return new StartupLock(null);
        }
        var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
        cmd.Parameters.AddWithValue("key", Store.StartupLockKey);
        // Wait as long as the node ahead needs (a first start migrates and may seed the demo world).
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
        return new StartupLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            // Closing the session releases its advisory locks.
            await connection.DisposeAsync();
        }
    }
}

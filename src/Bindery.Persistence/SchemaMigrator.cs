using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Persistence;

/// <summary>
/// Applies the numbered SQL scripts embedded under <c>Migrations/&lt;Provider&gt;/</c> in order, once each, recording
/// them in <c>schema_migrations</c>. Plain SQL per provider instead of EF migrations: see docs/adr/0002.
/// </summary>
public static class SchemaMigrator
{
    public static IReadOnlyList<string> Scripts(string provider)
    {
        var prefix = $"Bindery.Persistence.Migrations.{provider}.";
        return typeof(SchemaMigrator).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    public static async Task MigrateAsync(BinderyDb db, string provider, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var conn = db.Database.GetDbConnection();
            await Exec(conn, "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", ct);
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var cmd = conn.CreateCommand())
            {
                cmd.CommandText = "SELECT id FROM schema_migrations";
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    applied.Add(reader.GetString(0));
                }
            }
            foreach (var name in Scripts(provider))
            {
                var id = name[(name.LastIndexOf(".", name.Length - 5, StringComparison.Ordinal) + 1)..^4];
                if (applied.Contains(id))
                {
                    continue;
                }
                var sql = await ReadResource(name, ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var cmd = conn.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = sql;
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                await using (var cmd = conn.CreateCommand())
                {
                    cmd.Transaction = tx;
                    cmd.CommandText = "INSERT INTO schema_migrations (id, applied_at) VALUES (@id, @at)";
                    AddParam(cmd, "@id", id);
                    AddParam(cmd, "@at", DateTimeOffset.UnixEpoch.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Whether every embedded script has been applied (readiness).</summary>
    public static async Task<bool> IsCurrentAsync(BinderyDb db, string provider, CancellationToken ct)
    {
        var expected = Scripts(provider).Count;
        try
        {
            var count = await db.Database.SqlQueryRaw<int>("SELECT CAST(COUNT(*) AS INTEGER) AS \"Value\" FROM schema_migrations").SingleAsync(ct);
            return count >= expected;
        }
        catch (DbException)
        {
            return false;
        }
    }

    private static async Task<string> ReadResource(string name, CancellationToken ct)
    {
        await using var stream = typeof(SchemaMigrator).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"missing migration resource {name}");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(ct);
    }

    private static async Task Exec(DbConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddParam(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}

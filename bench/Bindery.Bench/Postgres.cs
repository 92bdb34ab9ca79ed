using Npgsql;

namespace Bindery.Bench;

/// <summary>The PostgreSQL the bench may use (BINDERY_BENCH_PG): a fresh database per measurement, dropped first if left over.</summary>
internal static class Postgres
{
    public static async Task<string?> CreateDatabase(string? server, string name)
    {
        if (server is null)
        {
            return null;
        }
        await using (var c = new NpgsqlConnection(server))
        {
            await c.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", c);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }
}

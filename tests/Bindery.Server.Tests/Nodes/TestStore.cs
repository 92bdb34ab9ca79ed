using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bindery.Server.Tests.Nodes;

/// <summary>
/// A database of the test's own for server processes: a SQLite file, or (in the PostgreSQL pass) a fresh PostgreSQL
/// database; removed on dispose. Raw SQL reads for the checks run the same text on both (quoted EF column names).
/// </summary>
public sealed class TestStore : IDisposable
{
    private readonly string? sqliteFile;

    private TestStore(string provider, string connectionString, string? sqliteFile)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.sqliteFile = sqliteFile;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public string EvidencePath { get; } = Path.Combine(Path.GetTempPath(), $"bindery-node-evidence-{Guid.NewGuid():N}");

    public static TestStore Create(bool postgres)
    {
        if (postgres)
        {
            return new TestStore("postgres", TestDb.CreatePostgres("n"), null);
        }
        var file = Path.Combine(Path.GetTempPath(), $"bindery-node-{Guid.NewGuid():N}.db");
        return new TestStore("sqlite", $"Data Source={file}", file);
    }

    /// <summary>For the current pass of the suite: PostgreSQL in the PostgreSQL pass, else SQLite.</summary>
    public static TestStore ForPass() => Create(TestDb.IsPostgres);

    public async Task<List<object?[]>> Rows(string sql)
    {
        await using var conn = Open();
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    public async Task<long> Count(string sql) => Convert.ToInt64((await Rows(sql))[0][0], System.Globalization.CultureInfo.InvariantCulture);

    private DbConnection Open() => Provider == "postgres" ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);

    public void Dispose() =>
        TestStoreCleanup.Remove(Provider == "postgres" ? ConnectionString : null, Provider == "postgres" ? null : sqliteFile, EvidencePath);
}

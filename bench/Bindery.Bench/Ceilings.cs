using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bindery.Bench;

/// <summary>
/// The machine's own ceilings, hosted inside the bench process on 127.0.0.1: (a) a bare endpoint answering a small
/// JSON, (b) a bare endpoint doing one single-row INSERT into a table with a unique index per request on SQLite in
/// Bindery's durability mode (WAL, synchronous=FULL), (c) the same on PostgreSQL (its default durability:
/// fsync on commit), concurrent as PostgreSQL allows, (d) the SQLite INSERT transactions with no HTTP.
/// </summary>
public sealed class Ceilings : IAsyncDisposable
{
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;";
    private readonly WebApplication app;
    private readonly string connectionString;
    private readonly SemaphoreSlim gate = new(1, 1);
    private NpgsqlDataSource? postgres;
    private long next;

    private Ceilings(WebApplication app, string connectionString)
    {
        this.app = app;
        this.connectionString = connectionString;
    }

    public string BaseUrl { get; private set; } = "";

    /// <summary>Starts the ceilings; with <paramref name="postgresDatabase"/> (a connection string to an empty database) also (c).</summary>
    public static async Task<Ceilings> Start(string dir, string? postgresDatabase = null)
    {
        var dbPath = Path.Combine(dir, "ceiling.db");
        var cs = new SqliteConnectionStringBuilder { DataSource = dbPath, Pooling = true }.ToString();
        await using (var c = await Open(cs))
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v TEXT NOT NULL); CREATE UNIQUE INDEX IF NOT EXISTS ux_items_k ON items(k);";
            await cmd.ExecuteNonQueryAsync();
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var ceilings = new Ceilings(app, cs);
        app.MapGet("/ceiling/json", () => Results.Json(new Small("ok", 1, true)));
        // One writer at a time, as Bindery's write gate; one autocommit transaction (one fsync) per request.
        app.MapPost("/ceiling/insert", async (CancellationToken ct) =>
        {
            await ceilings.InsertOne(ct);
            return Results.Json(new Small("created", 1, true), statusCode: 201);
        });
        if (postgresDatabase is not null)
        {
            ceilings.postgres = NpgsqlDataSource.Create(postgresDatabase);
            await using (var cmd = ceilings.postgres.CreateCommand(
                "CREATE TABLE IF NOT EXISTS items (id bigserial PRIMARY KEY, k text NOT NULL, v text NOT NULL); CREATE UNIQUE INDEX IF NOT EXISTS ux_items_k ON items(k);"))
            {
                await cmd.ExecuteNonQueryAsync();
            }
            // One single-row INSERT transaction per request; PostgreSQL takes them concurrently from a connection pool.
            app.MapPost("/ceiling/insert-pg", async (CancellationToken ct) =>
            {
                await using var cmd = ceilings.postgres.CreateCommand("INSERT INTO items (k, v) VALUES ($1, 'value')");
                cmd.Parameters.Add(new NpgsqlParameter { Value = "k" + Interlocked.Increment(ref ceilings.next).ToString(System.Globalization.CultureInfo.InvariantCulture) });
                await cmd.ExecuteNonQueryAsync(ct);
                return Results.Json(new Small("created", 1, true), statusCode: 201);
            });
        }
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        ceilings.BaseUrl = address;
        return ceilings;
    }

    private static async Task<SqliteConnection> Open(string cs)
    {
        var c = new SqliteConnection(cs);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = Pragmas;
        await cmd.ExecuteNonQueryAsync();
        return c;
    }

    private async Task InsertOne(CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            await using var c = await Open(connectionString);
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
            await using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO items (k, v) VALUES ($k, $v)";
            cmd.Parameters.AddWithValue("$k", "k" + Interlocked.Increment(ref next).ToString(System.Globalization.CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$v", "value");
            await cmd.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>(d): single-row unique INSERT transactions through Microsoft.Data.Sqlite, no HTTP, one connection, for a fixed time.</summary>
    public async Task<LoadResult> RawInserts(TimeSpan duration)
    {
        await using var c = await Open(connectionString);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO items (k, v) VALUES ($k, 'value')";
        var k = cmd.Parameters.Add("$k", SqliteType.Text);
        var lat = new List<double>(100_000);
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < duration)
        {
            var t0 = Stopwatch.GetTimestamp();
            using (var tx = c.BeginTransaction())
            {
                cmd.Transaction = tx;
                k.Value = "raw" + Interlocked.Increment(ref next).ToString(System.Globalization.CultureInfo.InvariantCulture);
                cmd.ExecuteNonQuery();
                tx.Commit();
            }
            lat.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        var s = sw.Elapsed.TotalSeconds;
        var sorted = lat.ToArray();
        Array.Sort(sorted);
        var r = new LoadResult("ceiling (d) raw SQLite INSERT tx", 1, s, sorted.Length, 0, sorted.Length / s,
            sorted[sorted.Length / 2], sorted[Math.Max(0, (int)(sorted.Length * 0.99) - 1)], sorted[^1]);
        Report.Line(r);
        return r;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }
        gate.Dispose();
    }

    private sealed record Small(string Status, int Count, bool Ok);
}

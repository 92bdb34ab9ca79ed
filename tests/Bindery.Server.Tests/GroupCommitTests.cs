using Bindery.Persistence;
using Bindery.Server.Core;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Server.Tests;

/// <summary>
/// Group commit (ADR 0016): commands that queue while the writer is busy run in one transaction, each in its own
/// savepoint, and each is answered only after the commit. One command's refusal, constraint violation or crash
/// changes nothing of its own and nothing of the others'.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private WritePipeline Pipeline => factory.Services.GetRequiredService<WritePipeline>();

    private static Actor Admin => new(new Principal(PrincipalKind.Admin, null, null, "test"), "127.0.0.1", null, Bindery.Domain.Language.En);

    /// <summary>Holds the writer inside a transaction until released, so everything sent meanwhile queues.</summary>
    private sealed class Blocker : IWriteCommand
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
        {
            Entered.SetResult();
            await Release.Task;
            return Result.Done;
        }
    }

    /// <summary>Inserts one history row with a marker, then answers as told.</summary>
    private sealed record Mark(string Marker, int Status, bool Throw = false, bool DuplicateKey = false) : IWriteCommand
    {
        public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
        {
            ctx.Record("test", Marker, "test.marked", null, null, null, new { Marker });
            await ctx.Db.SaveChangesAsync(ct);
            if (DuplicateKey)
            {
                // Violates the key of the idempotency table (same principal and key twice): a DbUpdateException.
                ctx.Db.IdempotencyRecords.Add(Row());
                await ctx.Db.SaveChangesAsync(ct);
                ctx.Db.ChangeTracker.Clear();
                ctx.Db.IdempotencyRecords.Add(Row());
                await ctx.Db.SaveChangesAsync(ct);
            }
            if (Throw)
            {
                throw new InvalidOperationException("boom " + Marker);
            }
            return Status < 300 ? Result.Created(new { Marker }, "/test/" + Marker) : Result.Refused("test_refused");
        }

        private IdempotencyRow Row() => new()
        {
            Principal = "test", Key = "dup-" + Marker, RequestHash = "h", StatusCode = 200, Body = "{}", CreatedAt = ctx0,
        };

        private static readonly DateTimeOffset ctx0 = BinderyFactory.Start;
    }

    private async Task<HashSet<string>> Marked()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<BinderyDb>>().CreateDbContextAsync();
        return (await db.History.Where(h => h.Action == "test.marked").Select(h => h.SubjectId).ToListAsync()).ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public async Task Commands_queued_behind_a_busy_writer_commit_together_and_each_keeps_its_own_outcome()
    {
        _ = factory.Admin(); // start the host
        await Pipeline.SettleIfDue(CancellationToken.None); // so no sweep adds a batch of its own meanwhile
        var blocker = new Blocker();
        var first = Pipeline.Execute(blocker, Admin, null, CancellationToken.None);
        await blocker.Entered.Task;
        var (batchesBefore, _) = Pipeline.Counters;

        var commands = Enumerable.Range(0, 40).Select(i => i switch
        {
            _ when i % 10 == 3 => new Mark($"refused-{i}", 409),
            _ when i % 10 == 5 => new Mark($"dup-{i}", 200, DuplicateKey: true),
            _ when i % 10 == 7 => new Mark($"throws-{i}", 200, Throw: true),
            _ => new Mark($"ok-{i}", 201),
        }).ToList();
        var answers = commands.Select(c => Pipeline.Execute(c, Admin, null, CancellationToken.None)).ToList();
        Assert.All(answers, a => Assert.False(a.IsCompleted)); // nobody is answered before a commit
        blocker.Release.SetResult();
        await first;

        for (var i = 0; i < commands.Count; i++)
        {
            var marker = commands[i].Marker;
            if (marker.StartsWith("throws", StringComparison.Ordinal))
            {
                var e = await Assert.ThrowsAsync<InvalidOperationException>(() => answers[i]);
                Assert.Equal("boom " + marker, e.Message);
            }
            else
            {
                var outcome = await answers[i];
                Assert.Equal(marker switch
                {
                    _ when marker.StartsWith("refused", StringComparison.Ordinal) => "test_refused",
                    _ when marker.StartsWith("dup", StringComparison.Ordinal) => "conflict", // the store's constraint, answered as a conflict
                    _ => null,
                }, (outcome as RefusedResult)?.Code);
                Assert.Equal(marker.StartsWith("ok", StringComparison.Ordinal), outcome is CreationResult);
            }
        }
        // The 40 queued commands ran as one transaction after the blocker's.
        var (batchesAfter, _) = Pipeline.Counters;
        Assert.Equal(2, batchesAfter - batchesBefore);

        var marked = await Marked();
        var expected = commands.Select(c => c.Marker).Where(m => m.StartsWith("ok", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(expected.Order(StringComparer.Ordinal), marked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_caller_that_leaves_before_its_turn_withdraws_the_write()
    {
        _ = factory.Admin();
        var blocker = new Blocker();
        var first = Pipeline.Execute(blocker, Admin, null, CancellationToken.None);
        await blocker.Entered.Task;
        using var leave = new CancellationTokenSource();
        var withdrawn = Pipeline.Execute(new Mark("withdrawn", 201), Admin, null, leave.Token);
        var kept = Pipeline.Execute(new Mark("kept", 201), Admin, null, CancellationToken.None);
        await leave.CancelAsync();
        blocker.Release.SetResult();
        await first;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn);
        Assert.IsType<CreationResult>(await kept);
        Assert.Equal(["kept"], await Marked());
    }

    [SqliteFact]
    public async Task Every_logical_open_of_a_pooled_connection_keeps_the_durable_settings()
    {
        _ = factory.Admin();
        var dbs = factory.Services.GetRequiredService<IDbContextFactory<BinderyDb>>();
        for (var i = 0; i < 3; i++)
        {
            await using var db = await dbs.CreateDbContextAsync();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            async Task<string> Pragma(string name)
            {
                await using var cmd = connection.CreateCommand();
                cmd.CommandText = "PRAGMA " + name;
                return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
            }
            Assert.Equal("wal", await Pragma("journal_mode"));
            Assert.Equal("2", await Pragma("synchronous")); // FULL: an acknowledged commit survives power loss
            Assert.Equal("1", await Pragma("foreign_keys"));
            Assert.Equal("10000", await Pragma("busy_timeout"));
            await db.Database.CloseConnectionAsync();
        }
    }
}

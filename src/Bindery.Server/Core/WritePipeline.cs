using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Core;

/// <summary>
/// The single entry point of every write: a command in, an outcome out. Commands queue; one writer takes whatever
/// has queued (up to <see cref="MaxBatch"/>) and runs it in ONE transaction (group commit, ADR 0016): settle what
/// time has made due, then each command in its own savepoint (replay an idempotent retry, load → Decide → apply,
/// history and events, store the idempotent answer), then one durable commit. Each caller is answered only after
/// that commit. A refused or failed command rolls back to its savepoint and changes nothing; the others commit.
/// Running commands one after another on one writer is what makes capacity, quotas and one-shop-per-account hold
/// under races (ADR 0003); batching them shares the cost of the commit's fsync. On PostgreSQL each batch also takes
/// the database-wide write lock, so several nodes write one batch at a time (ADR 0011).
/// </summary>
public sealed class WritePipeline : IAsyncDisposable
{
    /// <summary>Most commands in one transaction: bounds the latency a batch adds and the work a retry repeats.</summary>
    public const int MaxBatch = 64;

    /// <summary>
    /// Whole-batch attempts when PostgreSQL reports a serialization failure or deadlock (ADR 0011). Batches hold one
    /// lock, so neither should happen; the bound keeps a surprise from looping.
    /// </summary>
    public const int MaxAttempts = 10;

    private readonly IDbContextFactory<BinderyDb> dbs;
    private readonly TimeProvider clock;
    private readonly PolicyCatalog policies;
    private readonly DueHint due;
    private readonly ClockSync clockSync;
    private readonly PrincipalResolver principals;
    private readonly IAnswerRecorder answers;
    private readonly SettleRunner settle;
    private readonly ILogger<WritePipeline> log;
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly Task writer;
    private long batches;
    private long commands;
    private readonly WriteAdmission admission;

    public WritePipeline(IDbContextFactory<BinderyDb> dbs, TimeProvider clock, PolicyCatalog policies, DueHint due, ClockSync clockSync,
        PrincipalResolver principals, IAnswerRecorder answers, SettleRunner settle, IOptions<BinderyOptions> options,
        ILogger<WritePipeline> log)
    {
        admission = new WriteAdmission(options.Value.Writes);
        this.settle = settle;
        this.answers = answers;
        this.principals = principals;
        this.dbs = dbs;
        this.clock = clock;
        this.policies = policies;
        this.due = due;
        this.clockSync = clockSync;
        this.log = log;
        writer = Task.Run(WriterLoop);
    }

    /// <summary>Transactions committed and commands run in them since start (commands per batch = the batching factor).</summary>
    public (long Batches, long Commands) Counters => (Interlocked.Read(ref batches), Interlocked.Read(ref commands));

    /// <summary>
    /// Queues the command and answers once its transaction has committed. Cancelling <paramref name="ct"/> before
    /// the writer reaches the command withdraws it; once running, it completes (a transaction is never torn by one
    /// caller leaving).
    /// </summary>
    /// <param name="requestHash">
    /// The fingerprint of the whole request under <paramref name="idempotencyKey"/> (the HTTP edge computes it);
    /// without one, the command's own serialization.
    /// </param>
    public Task<Result> Execute(IWriteCommand command, Actor actor, string? idempotencyKey, CancellationToken ct, string? requestHash = null)
    {
        ct.ThrowIfCancellationRequested();
        // The settling no-op that reads send is always admitted: a read must not fail because writes are busy.
        var counted = command is not NoOp;
        if (counted && admission.Refusal() is { } refusal)
        {
            return Task.FromResult(refusal);
        }
        var pending = new Pending(command, actor, idempotencyKey, idempotencyKey is null ? null : requestHash ?? Hash(command), ct);
        if (counted)
        {
            admission.Queued();
        }
        if (!queue.Writer.TryWrite(pending))
        {
            if (counted)
            {
                admission.Taken();
            }
            throw new ObjectDisposedException(nameof(WritePipeline), "the server is stopping; the write was not accepted");
        }
        return pending.Answer.Task;
    }

    /// <summary>Commands waiting for the writer now (not counting the settling no-ops of reads).</summary>
    public long Queued => admission.Waiting;

    /// <summary>Records expiries and auto-approvals that are due, if any may be (reads call this first).</summary>
    public async Task SettleIfDue(CancellationToken ct)
    {
        if (clockSync.SharedStore)
        {
            // Several nodes: another node may have created something due earlier than this node knows, so the
            // hint comes from the database (and so does the shared clock offset), ADR 0011.
            DateTimeOffset next;
            await using (var db = await dbs.CreateDbContextAsync(ct))
            {
                await clockSync.Refresh(db, ct);
                next = await DueMarker.Read(db, ct);
            }
            if (clock.GetUtcNow() >= next)
            {
                await Execute(NoOp.Instance, Actor.System, null, ct);
            }
            return;
        }
        if (clock.GetUtcNow() >= due.At)
        {
            await Execute(NoOp.Instance, Actor.System, null, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Whatever was queued still runs and is answered; then the writer ends.
        queue.Writer.TryComplete();
        try
        {
            await writer.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await stopping.CancelAsync();
        }
        stopping.Dispose();
    }

    private async Task WriterLoop()
    {
        var batch = new List<Pending>(MaxBatch);
        var token = stopping.Token;
        try
        {
            while (await queue.Reader.WaitToReadAsync(token))
            {
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var next))
                {
                    if (next.Command is not NoOp)
                    {
                        admission.Taken();
                    }
                    if (next.Cancelled.IsCancellationRequested)
                    {
                        next.Answer.TrySetCanceled(next.Cancelled);
                        continue;
                    }
                    batch.Add(next);
                    if (next.Command is IEndsBatch)
                    {
                        break;
                    }
                }
                if (batch.Count > 0)
                {
                    await RunWithRetries(batch, token);
                    batch.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        while (queue.Reader.TryRead(out var left))
        {
            left.Answer.TrySetException(new ObjectDisposedException(nameof(WritePipeline), "the server stopped before the write ran; nothing was changed"));
        }
    }

    private async Task RunWithRetries(List<Pending> batch, CancellationToken token)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                var results = await RunBatch(batch, token);
                Interlocked.Increment(ref batches);
                Interlocked.Add(ref commands, batch.Count);
                var took = Stopwatch.GetElapsedTime(started);
                BinderyMetrics.WriteBatch(batch.Count, took);
                admission.Served(batch.Count, took);
                foreach (var (pending, answer) in results)
                {
                    answer(pending);
                }
                return;
            }
            catch (Exception e) when (Store.IsRetryableConflict(e))
            {
                // Several nodes on PostgreSQL: another transaction won a race on the same rows. Nothing committed and
                // nobody was answered: run the whole batch again on fresh state, a bounded number of times.
                if (attempt >= MaxAttempts)
                {
                    log.LogWarning(e, "write batch of {Count} gave up after {Attempts} serialization conflicts", batch.Count, attempt);
                    foreach (var pending in batch)
                    {
                        pending.Answer.TrySetResult(Result.Refused("write_contention"));
                    }
                    return;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 20) * attempt), token);
            }
            catch (Exception e)
            {
                // The transaction did not commit (the database failed, or the commit itself did): nothing changed for
                // anyone in the batch, and each caller gets the failure rather than an acknowledgement.
                log.LogError(e, "write batch of {Count} failed; nothing was committed", batch.Count);
                foreach (var pending in batch)
                {
                    pending.Answer.TrySetException(e);
                }
                return;
            }
        }
    }

    /// <summary>One transaction for the batch; answers are handed back to be given only after the commit.</summary>
    private async Task<List<(Pending, Action<Pending>)>> RunBatch(List<Pending> batch, CancellationToken token)
    {
        await using var db = await dbs.CreateDbContextAsync(token);
        // Each command has its own savepoint (below); EF Core's extra one around every SaveChanges would only repeat it.
        db.Database.AutoSavepointsEnabled = false;
        await using var tx = await db.Database.BeginTransactionAsync(token);
        var postgres = db.Database.IsPostgres();
        var dueAt = due.At;
        if (postgres)
        {
            // Several nodes on one database: one batch at a time across all of them, as SQLite's single writer gives
            // one node (ADR 0011); then this node reads the shared clock offset and the shared due marker.
            await Store.LockWrites(db, token);
            await clockSync.Refresh(db, token);
            dueAt = await DueMarker.Read(db, token);
        }
        var now = clock.GetUtcNow();
        // One DueChanges for the whole batch: the settle's "next due" and every command's new due instants combine.
        var dueChanges = new DueChanges(due);
        if (now >= dueAt)
        {
            await settle.SettleDue(new WriteContext(db, now, Actor.System, policies, dueChanges), token);
            await db.SaveChangesAsync(token);
            db.ChangeTracker.Clear();
        }

        var results = new List<(Pending, Action<Pending>)>(batch.Count);
        var committed = new List<WriteContext>(batch.Count);
        var accessChanged = false;
        for (var i = 0; i < batch.Count; i++)
        {
            var pending = batch[i];
            var savepoint = "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await tx.CreateSavepointAsync(savepoint, token);
            try
            {
                var (outcome, ctx) = await RunOne(db, tx, savepoint, pending, now, dueChanges, token);
                await tx.ReleaseSavepointAsync(savepoint, token);
                if (ctx is not null)
                {
                    committed.Add(ctx);
                    accessChanged |= outcome.IsSuccess && pending.Command is IChangesAccess;
                }
                results.Add((pending, p => p.Answer.TrySetResult(outcome)));
            }
            catch (Exception e) when (!Store.IsRetryableConflict(e))
            {
                await tx.RollbackToSavepointAsync(savepoint, token);
                if (e is DbUpdateException)
                {
                    // A constraint the rules should have caught first (e.g. the live-binding unique index): refuse,
                    // change nothing for this command.
                    log.LogWarning(e, "write refused by a database constraint");
                    var conflict = Result.Conflict("The change conflicts with existing data (a uniqueness rule of the store); nothing was changed.", "该修改与现有数据冲突（违反存储的唯一性约束），未做任何更改。");
                    results.Add((pending, p => p.Answer.TrySetResult(conflict)));
                }
                else
                {
                    results.Add((pending, p => p.Answer.TrySetException(e)));
                }
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
        if (postgres)
        {
            // Other nodes' reads skip settling until this instant (the database's DueHint): what the settle learnt, or
            // the earlier of the marker and what this batch added.
            await DueMarker.Stage(db, dueChanges.KnownNext ?? (dueChanges.Added is { } added && added < dueAt ? added : null), token);
            await db.SaveChangesAsync(token);
        }
        await tx.CommitAsync(token);
        // Only now may readers skip settling, and may in-memory effects (e.g. the test clock) happen.
        dueChanges.Publish();
        if (accessChanged)
        {
            // Who may act has changed: this node's cached principals go at once (other nodes within their cache age).
            principals.Clear();
        }
        foreach (var ctx in committed)
        {
            try
            {
                ctx.Committed();
            }
            catch (Exception e)
            {
                // The change is durable and will be answered as such; an in-memory follow-up failing must not undo that.
                log.LogError(e, "an after-commit step failed");
            }
        }
        return results;
    }

    private async Task<(Result Outcome, WriteContext? Committed)> RunOne(BinderyDb db, IDbContextTransaction tx, string savepoint,
        Pending pending, DateTimeOffset now, DueChanges dueChanges, CancellationToken token)
    {
        var actor = pending.Actor;
        if (pending.Key is not null)
        {
            var seen = await HotQueries.Idempotency(db, actor.Principal.Name, pending.Key, token);
            if (seen is not null)
            {
                return (seen.RequestHash == pending.RequestHash
                    ? new ReplayedResult(new StoredAnswer(seen.StatusCode, seen.Body, seen.Location))
                    : Result.Refused("idempotency_key_reused"), null);
            }
        }
        var ctx = new WriteContext(db, now, actor, policies, dueChanges);
        var outcome = await pending.Command.Run(ctx, token);
        var commits = outcome.IsSuccess || outcome.CommitsChanges;
        if (!commits)
        {
            // A refused command changes nothing: undo whatever it staged or saved.
            db.ChangeTracker.Clear();
            await tx.RollbackToSavepointAsync(savepoint, token);
        }
        if (pending.Key is not null && answers.Record(outcome, actor) is { } answer)
        {
            db.IdempotencyRecords.Add(new IdempotencyRow
            {
                Principal = actor.Principal.Name,
                Key = pending.Key,
                RequestHash = pending.RequestHash!,
                StatusCode = answer.Code,
                Body = answer.Body,
                Location = answer.Location,
                CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(token);
        return (outcome, commits ? ctx : null);
    }

    private static string Hash(IWriteCommand command)
    {
        var json = command.GetType().FullName + JsonSerializer.Serialize(command, command.GetType(), Json.Options);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    private sealed class Pending(IWriteCommand command, Actor actor, string? key, string? requestHash, CancellationToken cancelled)
    {
        public IWriteCommand Command { get; } = command;
        public Actor Actor { get; } = actor;
        public string? Key { get; } = key;
        public string? RequestHash { get; } = requestHash;
        public CancellationToken Cancelled { get; } = cancelled;

        /// <summary>Completed off the writer's thread, so callers' continuations never run inside the batch.</summary>
        public TaskCompletionSource<Result> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class NoOp : IWriteCommand
    {
        public static readonly NoOp Instance = new();

        public Task<Result> Run(WriteContext ctx, CancellationToken ct) => Task.FromResult(Result.Done);
    }
}

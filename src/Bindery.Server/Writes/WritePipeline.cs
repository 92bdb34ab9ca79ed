using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Writes;

/// <summary>
/// The single entry point of every write: a command in, an outcome out. One writer at a time, in one transaction:
/// replay an idempotent retry, settle what time has made due, run the command (load → Decide → apply), append
/// history and events, store the idempotent answer, commit. Serialising writes here is what makes capacity,
/// quotas and one-shop-per-account hold under races on SQLite (ADR 0003); group commit can batch here later.
/// </summary>
public sealed class WritePipeline(
    IDbContextFactory<BinderyDb> dbs,
    TimeProvider clock,
    PolicyCatalog policies,
    DueHint due,
    ClockSync clockSync,
    ILogger<WritePipeline> log)
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>How many times a write runs when PostgreSQL reports a serialization failure or deadlock (ADR 0011).
    /// Writes hold one lock, so neither should happen; the bound keeps a surprise from looping.</summary>
    public const int MaxAttempts = 10;

    public async Task<Outcome> Execute(IWriteCommand command, Actor actor, string? idempotencyKey, CancellationToken ct)
    {
        var requestHash = idempotencyKey is null ? null : Hash(command);
        await gate.WaitAsync(ct);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await Attempt(command, actor, idempotencyKey, requestHash, ct);
                }
                catch (Exception e) when (Store.IsRetryableConflict(e))
                {
                    // PostgreSQL reported a deadlock or serialization failure (not expected while writes hold the one
                    // write lock). Nothing of this attempt was committed: run the whole write again on fresh state.
                    if (attempt >= MaxAttempts)
                    {
                        log.LogWarning(e, "write gave up after {Attempts} serialization conflicts", attempt);
                        return Outcome.Problem(Problems.Make(503, "write_contention", actor.Language));
                    }
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 20) * attempt), ct);
                }
            }
        }
        catch (DbUpdateException e)
        {
            // A constraint the rules should have caught first (e.g. the live-binding unique index): refuse, change nothing.
            log.LogWarning(e, "write refused by a database constraint");
            return Outcome.Problem(Problems.Conflict(actor.Language, "The change conflicts with existing data (a uniqueness rule of the store); nothing was changed."));
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Outcome> Attempt(IWriteCommand command, Actor actor, string? idempotencyKey, string? requestHash, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var postgres = db.Database.IsPostgres();
        if (postgres)
        {
            // Several nodes on one database: one write at a time across all of them, as SQLite's single writer gives
            // one node (ADR 0011). Then this node reads the shared clock offset.
            await Store.LockWrites(db, ct);
            await clockSync.Refresh(db, ct);
        }
        if (idempotencyKey is not null)
        {
            var seen = await db.IdempotencyRecords.AsNoTracking()
                .SingleOrDefaultAsync(r => r.Principal == actor.Principal.Name && r.Key == idempotencyKey, ct);
            if (seen is not null)
            {
                return seen.RequestHash == requestHash
                    ? new Outcome(seen.StatusCode, new ReplayedBody(seen.Body), seen.Location)
                    : Outcome.Problem(Problems.Make(422, "idempotency_key_reused", actor.Language));
            }
        }
        var now = clock.GetUtcNow();
        var dueChanges = new DueChanges(due);
        await TimeTransitions.SettleDue(new WriteContext(db, now, Actor.System, policies, dueChanges), ct);
        await db.SaveChangesAsync(ct);

        var ctx = new WriteContext(db, now, actor, policies, dueChanges);
        var outcome = await command.Run(ctx, ct);
        if (!outcome.IsSuccess && !outcome.CommitsChanges)
        {
            // A refused command changes nothing: drop whatever it staged, keep the settled transitions.
            db.ChangeTracker.Clear();
        }
        if (idempotencyKey is not null && outcome.Status < 500)
        {
            db.IdempotencyRecords.Add(new IdempotencyRow
            {
                Principal = actor.Principal.Name,
                Key = idempotencyKey,
                RequestHash = requestHash!,
                StatusCode = outcome.Status,
                Body = StoredBody(outcome.Body),
                Location = outcome.Location,
                CreatedAt = now,
            });
        }
        if (postgres)
        {
            // Other nodes' reads skip settling until this instant (the database's DueHint).
            await DueMarker.Stage(db, dueChanges.KnownNext, ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // Only now may readers skip settling: what was settled is visible to them.
        dueChanges.Publish();
        if (outcome.IsSuccess || outcome.CommitsChanges)
        {
            ctx.Committed();
        }
        return outcome;
    }

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

    private static string StoredBody(object? body)
    {
        var stored = body is IReplayRedacted redacted ? redacted.ForReplay() : body;
        return stored is null ? "null" : JsonSerializer.Serialize(stored, stored.GetType(), Json.Options);
    }

    private static string Hash(IWriteCommand command)
    {
        var json = command.GetType().FullName + JsonSerializer.Serialize(command, command.GetType(), Json.Options);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    private sealed class NoOp : IWriteCommand
    {
        public static readonly NoOp Instance = new();

        public Task<Outcome> Run(WriteContext ctx, CancellationToken ct) => Task.FromResult(new Outcome(204, null));
    }
}

/// <summary>A stored answer replayed verbatim for an idempotent retry.</summary>
public sealed record ReplayedBody(string Json);

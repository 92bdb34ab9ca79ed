using System.Text.Json;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Core;

/// <summary>Who acts, from where, in which language (X-1 records all of it).</summary>
public sealed record Actor(Principal Principal, string? ClientAddress, string? CallerCountry, Language Language)
{
    public static readonly Actor System = new(new Principal(PrincipalKind.Admin, null, null, "system"), null, null, Language.En);

    /// <summary>A name for a caller who is not signed in yet (a sign-in attempt), instead of the principal's.</summary>
    public string? Label { get; init; }

    public string Name => ReferenceEquals(this, System) ? "system" : Label ?? Principal.Name;
}

/// <summary>
/// One write in progress: the transaction's DbContext, the single instant every rule in it reads, and the
/// history and events that commit with the change.
/// </summary>
public sealed class WriteContext(BinderyDb db, DateTimeOffset now, Actor actor, PolicyCatalog policies, DueChanges due)
{
    private List<Action>? afterCommit;

    public BinderyDb Db { get; } = db;
    public DateTimeOffset Now { get; } = now;
    public Actor Actor { get; } = actor;
    public PolicyCatalog Policies { get; } = policies;
    public Language Lang => Actor.Language;

    /// <summary>X-1: appends one history entry; before/after are snapshots of the subject.</summary>
    public void Record(string subjectType, string subjectId, string action, string? shopId, string? accountId,
        object? before, object? after, Actor? by = null, DateTimeOffset? at = null)
    {
        var who = by ?? Actor;
        if (at is { } dueAt)
        {
            // Only time-driven transitions are recorded at an instant other than now: at the instant they fell due.
            BinderyMetrics.SweepLag(action, Now - dueAt);
        }
        Db.History.Add(new HistoryRow
        {
            At = at ?? Now,
            Actor = who.Name,
            OnBehalfOf = who.Principal.OnBehalfOf,
            ClientAddress = who.ClientAddress,
            ShopId = shopId,
            AccountId = accountId,
            SubjectType = subjectType,
            SubjectId = subjectId,
            Action = action,
            Before = before is null ? null : JsonSerializer.Serialize(before, before.GetType(), Json.Options),
            After = after is null ? null : JsonSerializer.Serialize(after, after.GetType(), Json.Options),
        });
    }

    /// <summary>X-2: appends one event to the ordered feed, marked for webhook delivery.</summary>
    public void Emit(string type, string subjectId, string? shopId, string? accountId, object data, DateTimeOffset? at = null) =>
        Db.Events.Add(new EventRow
        {
            At = at ?? Now,
            Type = type,
            ShopId = shopId,
            AccountId = accountId,
            SubjectId = subjectId,
            Data = JsonSerializer.Serialize(data, data.GetType(), Json.Options),
            // The webhook outbox marker commits with the event, so a committed event is never missed (ADR 0012).
            FanoutPending = true,
        });

    /// <summary>
    /// Runs once the write has committed, still inside the write gate, so the next write already sees it (e.g. the
    /// in-memory test clock moving, which must not happen if the change is not stored, nor after another write).
    /// </summary>
    public void OnCommit(Action action) => (afterCommit ??= []).Add(action);

    internal void Committed()
    {
        foreach (var action in afterCommit ?? [])
        {
            action();
        }
    }

    /// <summary>A rule denial as the caller may see it (problem+json, 409).</summary>
    public Result Denied(Decision decision) => Result.Denied(decision);

    /// <summary>Something becomes due (an expiry, an auto-approval) at this instant.</summary>
    public void DueAt(DateTimeOffset at) => due.Add(at);

    /// <summary>After a settle: the next instant anything becomes due (null: nothing pending).</summary>
    public void SetNextDue(DateTimeOffset? at) => due.Settled(at);
}

/// <summary>
/// What one write learned about due instants. Lowering the hint is safe at once (a reader that settles waits for
/// the write gate, so it sees the committed result); raising it is not: a reader that skips settling because the
/// hint moved on would read the store before the settled transitions commit. So the raise waits for the commit.
/// </summary>
public sealed class DueChanges(DueHint hint)
{
    private bool settled;
    private DateTimeOffset? next;
    private DateTimeOffset? added;

    public void Add(DateTimeOffset at)
    {
        hint.Lower(at);
        added = added is { } a && a <= at ? a : at;
    }

    public void Settled(DateTimeOffset? nextDue)
    {
        settled = true;
        next = nextDue;
    }

    /// <summary>
    /// The earliest instant anything is due after this write, as far as the database holds (the settle's look plus
    /// what this write added); null when the write did not settle, so nothing is known.
    /// </summary>
    public DateTimeOffset? KnownNext => !settled ? null : next is null ? added ?? DateTimeOffset.MaxValue : added is null ? next : (next < added ? next : added);

    /// <summary>The earliest due instant this write created (null: none).</summary>
    public DateTimeOffset? Added => added;

    /// <summary>Called by the pipeline once the transaction has committed (still inside the write gate).</summary>
    public void Publish()
    {
        if (settled)
        {
            hint.Set(next is null ? added : added is null ? next : (next < added ? next : added));
        }
    }
}

/// <summary>
/// The earliest instant at which a time-driven transition may be due, so reads settle only when needed.
/// In-process: a node learns about due items from its own writes and from each settle's look at the database.
/// </summary>
public sealed class DueHint
{
    private long ticks = DateTimeOffset.MinValue.UtcTicks;

    public DateTimeOffset At => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset? at) => Interlocked.Exchange(ref ticks, (at ?? DateTimeOffset.MaxValue).UtcTicks);

    public void Lower(DateTimeOffset at)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref ticks);
            if (at.UtcTicks >= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref ticks, at.UtcTicks, seen) != seen);
    }
}

/// <summary>An answer body holding a secret that must not be stored for idempotent replays.</summary>
public interface IReplayRedacted
{
    object ForReplay();
}

/// <summary>
/// A write that changes who may act (a token or delegation revoked, a login disabled, a shop's main account changed):
/// on success the pipeline clears the cached principals of this node.
/// </summary>
public interface IChangesAccess
{
}

/// <summary>A write use case: runs inside the pipeline's transaction and answers with an outcome.</summary>
public interface IWriteCommand
{
    Task<Result> Run(WriteContext ctx, CancellationToken ct);
}

/// <summary>
/// A command whose committed effect changes what the next command reads outside the database (moving the clock):
/// the group-commit writer runs it last in its transaction, so every later command starts a new batch at the new
/// instant.
/// </summary>
public interface IEndsBatch : IWriteCommand;

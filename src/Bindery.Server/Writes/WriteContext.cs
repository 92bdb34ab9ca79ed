using System.Text.Json;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Writes;

/// <summary>Who acts, from where, in which language (X-1 records all of it).</summary>
public sealed record Actor(Principal Principal, string? ClientAddress, string? CallerCountry, Language Language)
{
    public static readonly Actor System = new(new Principal(PrincipalKind.Admin, null, null, "system"), null, null, Language.En);

    public string Name => ReferenceEquals(this, System) ? "system" : Principal.Name;
}

/// <summary>
/// One write in progress: the transaction's DbContext, the single instant every rule in it reads, and the
/// history and events that commit with the change.
/// </summary>
public sealed class WriteContext(BinderyDb db, DateTimeOffset now, Actor actor, PolicyCatalog policies, DueHint due)
{
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
        Db.History.Add(new HistoryRow
        {
            At = at ?? Now,
            Actor = who.Name,
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

    /// <summary>X-2: appends one event to the ordered feed.</summary>
    public void Emit(string type, string subjectId, string? shopId, string? accountId, object data, DateTimeOffset? at = null) =>
        Db.Events.Add(new EventRow
        {
            At = at ?? Now,
            Type = type,
            ShopId = shopId,
            AccountId = accountId,
            SubjectId = subjectId,
            Data = JsonSerializer.Serialize(data, data.GetType(), Json.Options),
        });

    /// <summary>Something becomes due (an expiry, an auto-approval) at this instant.</summary>
    public void DueAt(DateTimeOffset at) => due.Lower(at);

    /// <summary>After a settle: the next instant anything becomes due (null: nothing pending).</summary>
    public void SetNextDue(DateTimeOffset? at) => due.Set(at);
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

/// <summary>A write use case: runs inside the pipeline's transaction and answers with an outcome.</summary>
public interface IWriteCommand
{
    Task<Outcome> Run(WriteContext ctx, CancellationToken ct);
}

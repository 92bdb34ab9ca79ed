namespace Bindery.Server.Core;

/// <summary>
/// A workflow's share of settling: the transitions that time alone causes (an invitation expiring, an unlink request
/// approved by silence, a shop closing at the end of its notice…), recorded at the instant each fell due, not when
/// noticed. Features contribute their steps; the core runs them and names none of them.
/// </summary>
public interface ISettleStep
{
    /// <summary>Settles what is due at <c>ctx.Now</c>; answers when this workflow next has something due (null: nothing waits).</summary>
    Task<DateTimeOffset?> Settle(WriteContext ctx, CancellationToken ct);
}

/// <summary>A settle step given as a function, with a name for logs and tests.</summary>
public sealed record SettleStep(string Name, Func<WriteContext, CancellationToken, Task<DateTimeOffset?>> Run) : ISettleStep
{
    public Task<DateTimeOffset?> Settle(WriteContext ctx, CancellationToken ct) => Run(ctx, ct);
}

/// <summary>
/// Runs every settle step, in the order they were registered (an earlier step's transitions are visible to the
/// later ones: an expired invitation no longer counts when a closing shop ends its bindings), before every write
/// batch and from the background sweep, so state is settled before any rule reads it.
/// </summary>
public sealed class SettleRunner(IEnumerable<ISettleStep> steps)
{
    private readonly ISettleStep[] steps = [.. steps];

    public IReadOnlyList<ISettleStep> Steps => steps;

    public async Task SettleDue(WriteContext ctx, CancellationToken ct)
    {
        DateTimeOffset? next = null;
        foreach (var step in steps)
        {
            next = Instants.Earliest(next, await step.Settle(ctx, ct));
        }
        ctx.SetNextDue(next);
    }
}

public static class Instants
{
    /// <summary>The earlier of two optional instants (null: none).</summary>
    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}

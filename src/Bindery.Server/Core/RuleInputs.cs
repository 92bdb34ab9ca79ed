using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Core;

/// <summary>
/// The parties and instant of one rule decision, for <see cref="RuleInputs.For"/>: the shop, the account, the role
/// and the policy at <see cref="Now"/>; the caller's network country, the binding acted on, its unlink request and
/// (Z-4) the official binding a swap replaces, where the action has them.
/// </summary>
public sealed record RuleQuery(ShopRow Shop, AccountRow Account, BindingRole Role, Policy Policy, DateTimeOffset Now)
{
    public string? CallerCountry { get; init; }
    public BindingRow? Binding { get; init; }
    public UnlinkRequestRow? Unlink { get; init; }
    public BindingRow? Replacing { get; init; }
}

/// <summary>Loads what <see cref="Rules.Decide"/> reads, in the same way for commands, checks, quotas and inboxes.</summary>
public static class RuleInputs
{
    /// <summary>
    /// The shop's usage: live bindings by role, unanswered channel invitations, official unbinds over its life and
    /// channel activations inside the window. A shop holds only a handful of such rows, so one query fetches them.
    /// </summary>
    public static async Task<ShopUsage> Usage(BinderyDb db, string shopId, Policy policy, DateTimeOffset now, CancellationToken ct)
    {
        var windowStart = now - policy.ChannelBindWindow;
        var rows = HotQueries.UsageRows(db, shopId, windowStart);
        int liveOfficial = 0, liveChannel = 0, liveShowcase = 0, pendingChannel = 0, unbinds = 0;
        var binds = new List<DateTimeOffset>();
        await foreach (var r in rows.WithCancellation(ct))
        {
            var live = r.State is BindingState.Invited or BindingState.Active or BindingState.UnlinkRequested;
            if (live && r.Role == BindingRole.Official)
            {
                liveOfficial++;
            }
            if (live && r.Role == BindingRole.Channel)
            {
                liveChannel++;
            }
            if (live && r.Role == BindingRole.Showcase)
            {
                liveShowcase++;
            }
            if (r.State == BindingState.Invited && r.Role == BindingRole.Channel)
            {
                pendingChannel++;
            }
            if (r.Role == BindingRole.Official && r.State == BindingState.Ended && r.EndReason is not null && BindingEnds.UnbindReasons.Contains(r.EndReason))
            {
                unbinds++;
            }
            // TS-Q3: a bind holds its slot over [at, at + window), so at `now` it counts when now < at + window, that is
            // at > now - window; the engine (Rules.ChannelWindow) applies the same half-open interval to what is loaded here.
            if (r.Role == BindingRole.Channel && r.ActivatedAt is { } at && at > windowStart)
            {
                binds.Add(at);
            }
        }
        binds.Sort();
        return new ShopUsage(liveOfficial, liveChannel, pendingChannel, unbinds, binds) { LiveShowcase = liveShowcase };
    }

    /// <summary>Z-4: the shop's active official binding, the one a swap replaces.</summary>
    public static Task<BindingRow?> CurrentOfficial(BinderyDb db, string shopId, bool track, CancellationToken ct) =>
        (track ? db.Bindings : db.Bindings.AsNoTracking())
            .Where(b => b.ShopId == shopId && b.Role == BindingRole.Official && (b.State == BindingState.Active || b.State == BindingState.UnlinkRequested))
            .FirstOrDefaultAsync(ct);

    /// <summary>A live binding holding the account, other than <paramref name="exceptBindingId"/> (TS-B3).</summary>
    public static Task<AccountHold?> Hold(BinderyDb db, string accountId, string? exceptBindingId, CancellationToken ct) =>
        HotQueries.Hold(db, accountId, exceptBindingId ?? "", ct);

    /// <summary>What <see cref="Rules.Decide"/> reads about one action, as the engine's <see cref="DecisionInput"/>.</summary>
    public static async Task<DecisionInput> For(BinderyDb db, RuleQuery q, CancellationToken ct) =>
        new()
        {
            Replacing = q.Replacing?.ToDomain(),
            Shop = q.Shop.ToDomain(),
            Account = q.Account.ToDomain(),
            Role = q.Role,
            Usage = await Usage(db, q.Shop.Id, q.Policy, q.Now, ct),
            Binding = q.Binding?.ToDomain(),
            UnlinkRequest = q.Unlink?.ToDomain(),
            AccountHeldBy = await Hold(db, q.Account.Id, q.Binding?.Id, ct),
            CallerCountry = q.CallerCountry,
        };

    /// <summary>Loads the parties of an existing binding and decides an action on it, as a command sees them.</summary>
    public static async Task<(Policy Policy, Decision Decision)> Decide(WriteContext ctx, BindingAction action, BindingRow binding,
        UnlinkRequestRow? unlink, CancellationToken ct, BindingRow? replacing = null)
    {
        var shop = await HotQueries.ShopById(ctx.Db, binding.ShopId, ct) ?? throw new InvalidOperationException("binding without its shop");
        var account = await HotQueries.AccountById(ctx.Db, binding.AccountId, ct) ?? throw new InvalidOperationException("binding without its account");
        var policy = ctx.Policies.Get(shop.PolicyId);
        var input = await For(ctx.Db, new RuleQuery(shop, account, binding.Role, policy, ctx.Now)
        {
            CallerCountry = ctx.Actor.CallerCountry, Binding = binding, Unlink = unlink, Replacing = replacing,
        }, ct);
        var decision = Rules.Decide(action, input, policy, ctx.Now);
        BinderyMetrics.Decision(action, "write", decision);
        return (policy, decision);
    }
}

using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.Inbox;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Shops;

public static class ShopQueries
{
    /// <summary>The shop's bindings, newest first (also the console's shop overview).</summary>
    public static async Task<Result> ListBindings(string id, string? state, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        var shop = await Visible(q, id, ct);
        if (shop is null)
        {
            return Result.NotFound("shop");
        }
        var states = new List<BindingState>();
        foreach (var s in (state ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (s == "live")
            {
                states.AddRange([BindingState.Invited, BindingState.Active, BindingState.UnlinkRequested]);
            }
            else if (Wire.TryParse<BindingState>(s, out var parsed))
            {
                states.Add(parsed);
            }
            else
            {
                return Result.Invalid("state", $"must be 'live' or one of: {string.Join(", ", Wire.All<BindingState>())} (comma-separated)");
            }
        }
        var rows = await q.Db.Bindings.AsNoTracking()
            .Where(b => b.ShopId == id && (states.Count == 0 || states.Contains(b.State)))
            .OrderByDescending(b => b.InvitedAt).ToListAsync(ct);
        var pending = await q.Db.UnlinkRequests.AsNoTracking().Where(u => u.ShopId == id && u.State == UnlinkState.Pending)
            .ToDictionaryAsync(u => u.BindingId, ct);
        var policy = q.Policies.Get(shop.PolicyId);
        return Result.Ok(rows.Select(b => BindingView.From(b, policy, pending.GetValueOrDefault(b.Id))).ToArray());
    }

    /// <summary>TS-Q4 / Z-2 quota counters (also shown by the console).</summary>
    public static async Task<Result> GetQuotas(string id, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        var shop = await Visible(q, id, ct);
        if (shop is null)
        {
            return Result.NotFound("shop");
        }
        var now = q.Now;
        var policy = q.Policies.Get(shop.PolicyId);
        var usage = await RuleInputs.Usage(q.Db, id, policy, now, ct);
        var lang = q.Lang;
        var lines = Quotas.For(shop.ToDomain(), policy, usage, now)
            .Select(q => new QuotaView(q.Name, q.Rule, q.Used, q.Limit, q.Remaining, q.Window, q.NextSlotAt, QuotaText.Describe(q, lang)))
            .ToArray();
        return Result.Ok(new QuotasView(id, policy.Id, now, shop.ToDomain().OnProbation(now), shop.ProbationEndsAt, lines));
    }

    /// <summary>Z-1: the shop's pending items (also the console's pending lists).</summary>
    public static async Task<Result> GetInbox(string id, ReadContext q, CancellationToken ct)
    {
        await q.Settle(ct);
        if (await Visible(q, id, ct) is null)
        {
            return Result.NotFound("shop");
        }
        var now = q.Now;
        return Result.Ok(new InboxView("shop:" + id, now, await InboxQuery.Load(q.Db, q.Policies, id, null, now, q.Lang, ct)));
    }

    /// <summary>The shop, if the caller is the admin or its merchant; otherwise null (answered as 404).</summary>
    public static async Task<ShopRow?> Visible(ReadContext q, string id, CancellationToken ct) =>
        q.Viewer.ActsForShop(id) ? await HotQueries.ShopById(q.Db, id, ct) : null;
}

namespace Bindery.Domain;

/// <summary>
/// One quota counter (Z-2, TS-Q4). <see cref="Window"/> is an ISO duration for rolling windows, <c>lifetime</c>,
/// or <c>at_once</c> for capacity. <see cref="NextSlotAt"/> is when one more unit frees by time alone, if it does.
/// </summary>
public sealed record QuotaLine(
    string Name,
    string Rule,
    int Used,
    int? Limit,
    string Window,
    DateTimeOffset? NextSlotAt)
{
    public int? Remaining => Limit is { } l ? Math.Max(l - Used, 0) : null;
}

/// <summary>Computes a shop's quota counters from the same usage the rules engine reads.</summary>
public static class Quotas
{
    public static IReadOnlyList<QuotaLine> For(Shop shop, Policy policy, ShopUsage usage, DateTimeOffset now)
    {
        var lines = new List<QuotaLine>(4);
        foreach (var role in Enum.GetValues<BindingRole>())
        {
            var (normal, limit) = policy.CapacityFor(shop, role, now);
            if (role == BindingRole.Showcase && policy.Showcase is null)
            {
                continue;
            }
            var used = usage.Live(role);
            var held = normal is not null && limit is not null && limit < normal || normal is null && limit is not null;
            var rule = held ? policy.Rule(RuleKeys.Probation)
                : policy.Rule(RuleKeys.Capacity(shop.MerchantType, role));
            // While probation holds the limit down, the next slot opens when probation ends (if the normal limit has room).
            DateTimeOffset? next = held && (normal is null || used < normal) ? shop.ProbationEndsAt : null;
            lines.Add(new QuotaLine($"{Wire.Name(role)}_capacity", rule, used, limit, "at_once", next));
        }
        if (policy.OfficialUnbindsPerLifetime is { } unbinds)
        {
            lines.Add(new QuotaLine("official_unbinds", policy.Rule(RuleKeys.OfficialUnbinds), usage.OfficialUnbindsUsed, unbinds, "lifetime", null));
        }
        if (policy.ChannelBindLimit is { } channelLimit)
        {
            var (used, nextFree) = Rules.ChannelWindow(usage.ChannelBindsInWindow, usage.PendingChannel, channelLimit, policy.ChannelBindWindow, now);
            lines.Add(new QuotaLine("channel_binds", policy.Rule(RuleKeys.ChannelBindQuota), used, channelLimit, IsoDuration.Format(policy.ChannelBindWindow), nextFree));
        }
        return lines;
    }
}

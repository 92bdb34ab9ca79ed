using System.Globalization;

namespace Bindery.Domain;

/// <summary>
/// The rules engine: one pure function from an action, the parties' state, the policy and the instant to a
/// <see cref="Decision"/> listing every failing rule. The dry-run check and the real command both call it,
/// so "why not?" and "do it" never disagree.
/// </summary>
public static class Rules
{
    public static Decision Decide(BindingAction action, DecisionInput input, Policy policy, DateTimeOffset now)
    {
        List<Reason>? reasons = null;
        switch (action)
        {
            case BindingAction.Invite:
                Eligibility(action, input, policy, now, ref reasons);
                Replacement(input, policy, now, ref reasons);
                Capacity(input, policy, now, excludeSelf: false, ref reasons);
                ChannelQuota(input, policy, now, excludeSelf: false, ref reasons);
                break;
            case BindingAction.Accept:
                InvitationOpen(input, policy, now, ref reasons);
                Eligibility(action, input, policy, now, ref reasons);
                Replacement(input, policy, now, ref reasons);
                Capacity(input, policy, now, excludeSelf: true, ref reasons);
                ChannelQuota(input, policy, now, excludeSelf: true, ref reasons);
                break;
            case BindingAction.Decline:
            case BindingAction.Cancel:
                InvitationOpen(input, policy, now, ref reasons);
                break;
            case BindingAction.RequestUnlink:
            case BindingAction.Unbind:
            case BindingAction.ApplyUnbind:
                BindingActive(input, policy, ref reasons);
                UnbindMethodFits(action, input, policy, ref reasons);
                CallerCountry(action, input, policy, ref reasons);
                if (action != BindingAction.ApplyUnbind)
                {
                    // An approved application is the platform's exception to the waiting rules (DY-O2).
                    UnbindTiming(input, policy, now, ref reasons);
                }
                break;
            case BindingAction.ApproveUnlink:
                UnlinkPending(input, policy, ref reasons);
                UnbindTiming(input, policy, now, ref reasons);
                break;
            case BindingAction.RejectUnlink:
                UnlinkPending(input, policy, ref reasons);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "unknown action");
        }
        return reasons is null ? Decision.Allowed : Decision.Denied(reasons);
    }

    private static void Add(ref List<Reason>? reasons, Reason reason) => (reasons ??= []).Add(reason);

    private static Dictionary<string, string> Args(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>TS-E1..E7 and the origin switch: checked at invite and again at accept.</summary>
    private static void Eligibility(BindingAction action, DecisionInput input, Policy policy, DateTimeOffset now, ref List<Reason>? reasons)
    {
        var shop = input.Shop;
        var account = input.Account;

        // TS-E5: the shop itself.
        if (shop.Status != ShopStatus.Normal)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.ShopStatus), "shop_not_normal", Args: Args(("status", Wire.Name(shop.Status)))));
        }
        if (!shop.EcommercePermission)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.ShopStatus), "shop_ecommerce_revoked"));
        }

        if (policy.AllowedOrigins is { } origins && !origins.Contains(account.Origin))
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.Origin), "origin_not_allowed", SupportCanHelp: false, Args: Args(("origin", Wire.Name(account.Origin)))));
        }

        // DY-B5: an account upgraded to a formal payment account cannot become the shop's official account.
        if (policy.FormalPaymentAccountBlocksOfficial && input.Role == BindingRole.Official && account.HasFormalPaymentAccount)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.FormalPaymentAccount), "formal_payment_account", SupportCanHelp: false));
        }

        // TS-E1: abnormal status is one of the two things support cannot fix (TS-E7).
        if (account.Status != AccountStatus.Normal)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.AccountStatus), "account_not_normal", SupportCanHelp: false, Args: Args(("status", Wire.Name(account.Status)))));
        }

        // TS-E2: age on the day of the check; passes on the birthday.
        if (account.AgeOn(now) < policy.MinimumAge)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.Age), "account_under_age", account.BirthdayInstant(policy.MinimumAge), SupportCanHelp: true,
                Args(("minimumAge", Num(policy.MinimumAge)))));
        }

        // TS-E3: support can correct a wrong registration country, except for the listed ones (TS-E7).
        if (policy.AccountCountryMustMatchShop && account.RegistrationCountry != shop.Country)
        {
            var fixable = !policy.SupportCannotFixRegistrationCountries.Contains(account.RegistrationCountry.Value);
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.AccountCountry), "account_country_mismatch", SupportCanHelp: fixable,
                Args: Args(("accountCountry", account.RegistrationCountry.Value), ("shopCountry", shop.Country.Value))));
        }

        CallerCountry(action, input, policy, ref reasons);

        // TS-B3 / TS-E6: the account is held by another live binding.
        if (input.AccountHeldBy is { } hold)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.OneShopPerAccount), "account_already_bound",
                Args: Args(("shopId", hold.ShopId), ("state", Wire.Name(hold.State)))));
        }
    }

    /// <summary>TS-E4: the caller's network country, on the actions the policy names.</summary>
    private static void CallerCountry(BindingAction action, DecisionInput input, Policy policy, ref List<Reason>? reasons)
    {
        if (!policy.CallerCountryCheckedOn.Contains(action))
        {
            return;
        }
        var shopCountry = input.Shop.Country.Value;
        if (input.CallerCountry is null)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.CallerCountry), "caller_country_unknown", Args: Args(("shopCountry", shopCountry))));
        }
        else if (!string.Equals(input.CallerCountry, shopCountry, StringComparison.Ordinal))
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.CallerCountry), "caller_country_mismatch",
                Args: Args(("callerCountry", input.CallerCountry), ("shopCountry", shopCountry))));
        }
    }

    /// <summary>TS-B1, TS-B2 and, while on probation, TS-Q5 (DY-B2, DY-B6 under Douyin). Pending invitations count (TS-B3).</summary>
    private static void Capacity(DecisionInput input, Policy policy, DateTimeOffset now, bool excludeSelf, ref List<Reason>? reasons)
    {
        var role = input.Role;
        var shop = input.Shop;
        var used = input.Usage.Live(role);
        if (excludeSelf && input.Binding is { IsLive: true } self && self.Role == role)
        {
            used--;
        }
        if (input.Replacing is { IsLive: true } replaced && replaced.Role == role)
        {
            // Z-4: the binding being swapped out frees its slot in the same transaction.
            used--;
        }
        var (normal, limit) = policy.CapacityFor(shop, role, now);
        if (limit is null || used < limit)
        {
            return;
        }
        if (normal is null || used < normal)
        {
            // Only probation holds it back: it passes when probation ends.
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.Probation), "probation_capacity_full", shop.ProbationEndsAt,
                Args: Args(("limit", Num(limit.Value)), ("role", Wire.Name(role)), ("used", Num(used)))));
            return;
        }
        var type = Wire.Name(shop.MerchantType);
        Add(ref reasons, new Reason(policy.Rule(RuleKeys.Capacity(shop.MerchantType, role)), "capacity_full",
            Args: Args(("limit", Num(normal.Value)), ("role", Wire.Name(role)), ("used", Num(used)), ("merchantType", type))));
    }

    /// <summary>TS-Q3: channel binds in the rolling window, counting unanswered channel invitations as spent.</summary>
    private static void ChannelQuota(DecisionInput input, Policy policy, DateTimeOffset now, bool excludeSelf, ref List<Reason>? reasons)
    {
        if (input.Role != BindingRole.Channel || policy.ChannelBindLimit is not { } limit)
        {
            return;
        }
        var pending = input.Usage.PendingChannel;
        if (excludeSelf && input.Binding is { State: BindingState.Invited, Role: BindingRole.Channel })
        {
            pending--;
        }
        var (used, passesAt) = ChannelWindow(input.Usage.ChannelBindsInWindow, pending, limit, policy.ChannelBindWindow, now);
        if (used < limit)
        {
            return;
        }
        Add(ref reasons, new Reason(policy.Rule(RuleKeys.ChannelBindQuota), "channel_bind_quota_used", passesAt,
            Args: Args(("used", Num(used)), ("limit", Num(limit)), ("window", IsoDuration.Format(policy.ChannelBindWindow)))));
    }

    /// <summary>TS-I1 (48 h to answer) and TS-I2 (only an unanswered invitation can be answered or cancelled).</summary>
    private static void InvitationOpen(DecisionInput input, Policy policy, DateTimeOffset now, ref List<Reason>? reasons)
    {
        var b = input.Binding ?? throw new ArgumentException("the action needs the binding", nameof(input));
        if (b.State == BindingState.Expired || (b.State == BindingState.Invited && now >= b.ExpiresAt))
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.InvitationExpiry), "invitation_expired",
                Args: Args(("expiresAt", b.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
                    ("ttl", IsoDuration.Format(policy.InvitationTtl)))));
        }
        else if (b.State != BindingState.Invited)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.InvitationAnswer), "invitation_not_pending", Args: Args(("state", Wire.Name(b.State)))));
        }
    }

    private static void BindingActive(DecisionInput input, Policy policy, ref List<Reason>? reasons)
    {
        var b = input.Binding ?? throw new ArgumentException("the action needs the binding", nameof(input));
        if (b.State != BindingState.Active)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.UnlinkRequest), "binding_not_active", Args: Args(("state", Wire.Name(b.State)))));
        }
    }

    /// <summary>
    /// Each role is undone one way (DY-O2, DY-B3, TS-U1): an unlink request the shop answers, the owner's confirmed
    /// unbind, or only an unbind application reviewed by staff.
    /// </summary>
    private static void UnbindMethodFits(BindingAction action, DecisionInput input, Policy policy, ref List<Reason>? reasons) =>
        UnbindMethodFits(action, input.Binding ?? throw new ArgumentException("the action needs the binding", nameof(input)), policy, ref reasons);

    private static void UnbindMethodFits(BindingAction action, Binding b, Policy policy, ref List<Reason>? reasons)
    {
        var method = policy.Traits(b.Role).Unbind;
        var wanted = action switch
        {
            BindingAction.RequestUnlink => UnbindMethod.UnlinkRequest,
            BindingAction.Unbind => UnbindMethod.OwnerConfirmed,
            _ => UnbindMethod.Application,
        };
        if (method != wanted)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.UnbindMethod(b.Role)), $"unbind_by_{Wire.Name(method)}",
                Args: Args(("role", Wire.Name(b.Role)))));
        }
    }

    private static void UnlinkPending(DecisionInput input, Policy policy, ref List<Reason>? reasons)
    {
        var u = input.UnlinkRequest ?? throw new ArgumentException("the action needs the unlink request", nameof(input));
        if (u.State != UnlinkState.Pending)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.UnlinkRequest), "unlink_not_pending", Args: Args(("state", Wire.Name(u.State)))));
        }
    }

    /// <summary>TS-Q1 (24 h after activation; DY-B6's tenure for Douyin channels) and TS-Q2 (official unbinds per lifetime).</summary>
    private static void UnbindTiming(DecisionInput input, Policy policy, DateTimeOffset now, ref List<Reason>? reasons) =>
        UnbindTiming(input, input.Binding ?? throw new ArgumentException("the action needs the binding", nameof(input)), policy, now, ref reasons);

    private static void UnbindTiming(DecisionInput input, Binding b, Policy policy, DateTimeOffset now, ref List<Reason>? reasons)
    {
        var minimum = policy.MinimumActive(b.Role);
        if (b.ActivatedAt is { } since && now < since + minimum)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.UnbindDelay(b.Role)), "unbind_too_early", since + minimum,
                Args: Args(("minimum", IsoDuration.Format(minimum)))));
        }
        if (b.Role == BindingRole.Official && policy.OfficialUnbindsPerLifetime is { } limit && input.Usage.OfficialUnbindsUsed >= limit)
        {
            Add(ref reasons, new Reason(policy.Rule(RuleKeys.OfficialUnbinds), "official_unbinds_used",
                Args: Args(("used", Num(input.Usage.OfficialUnbindsUsed)), ("limit", Num(limit)))));
        }
    }

    /// <summary>
    /// Z-4: an invitation that replaces the official account (a swap) ends the current binding when accepted, so the
    /// current binding must be one that may be undone now: its role's way of undoing is not an application only
    /// (DY-O2), it has served its minimum time (TS-Q1) and the shop has an official unbind left (TS-Q2).
    /// </summary>
    private static void Replacement(DecisionInput input, Policy policy, DateTimeOffset now, ref List<Reason>? reasons)
    {
        if (input.Replacing is not { } current || !current.IsLive)
        {
            return;
        }
        if (policy.Traits(current.Role).Unbind == UnbindMethod.Application)
        {
            UnbindMethodFits(BindingAction.RequestUnlink, current, policy, ref reasons);
        }
        UnbindTiming(input, current, policy, now, ref reasons);
    }

    /// <summary>
    /// TS-Q3: channel binds that count at <paramref name="now"/> plus unanswered invitations, and when the next slot frees.
    /// Each bind at instant b holds a slot over the half-open interval [b, b + window): it counts from its own instant
    /// and no longer counts at exactly b + window. (Seen from <paramref name="now"/>, the binds that count are those
    /// with now - window &lt; b &lt;= now.) So a slot frees at the instant enough binds have left, the k-th oldest at
    /// its b + window, and that instant is the denial's "passes at" and the quota line's next slot alike.
    /// </summary>
    internal static (int Used, DateTimeOffset? NextFreeAt) ChannelWindow(
        IReadOnlyList<DateTimeOffset> binds, int pending, int limit, TimeSpan window, DateTimeOffset now)
    {
        var inWindow = 0;
        var first = -1;
        for (var i = 0; i < binds.Count; i++)
        {
            if (binds[i] <= now && now < binds[i] + window)
            {
                inWindow++;
                if (first < 0)
                {
                    first = i;
                }
            }
        }
        var used = inWindow + Math.Max(pending, 0);
        var mustLeave = Math.Max(used - limit + 1, 1);
        DateTimeOffset? nextFree = mustLeave <= inWindow ? binds[first + mustLeave - 1] + window : null;
        return (used, nextFree);
    }
}

namespace Bindery.Domain.Tests;

/// <summary>
/// The shipped TikTok Shop preset, fixed instants and a small builder. Every builder returns a case the engine
/// allows, so a test changes only the one thing it is about (with <c>with { ... }</c>).
/// </summary>
internal static class Given
{
    public static readonly string PresetText =
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies", "tiktok-shop.json"));

    public static readonly Policy Preset = PolicyParser.Parse(PresetText, "tiktok-shop.json");

    /// <summary>The shipped Douyin preset.</summary>
    public static readonly Policy Douyin =
        PolicyParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "policies", "douyin.json")), "douyin.json");

    /// <summary>2026-03-02 08:00 UTC: the "now" of most tests.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    public static readonly CountryCode GB = new("GB");

    public static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    public static TimeSpan Days(int n) => TimeSpan.FromDays(n);

    public static TimeSpan Hours(int n) => TimeSpan.FromHours(n);

    /// <summary>An invited, business, GB shop in normal status, not on probation.</summary>
    public static Shop Shop(MerchantType merchantType = MerchantType.Invited, ShopKind kind = ShopKind.Business,
        DateTimeOffset? probationEndsAt = null) =>
        new("shop-1", "tiktok-shop", GB, merchantType, kind, probationEndsAt, ShopStatus.Normal, EcommercePermission: true);

    /// <summary>A normal TikTok account registered in GB whose holder is an adult.</summary>
    public static Account Account(DateOnly? birthDate = null) =>
        new("acct-1", AccountOrigin.TikTok, GB, birthDate ?? new DateOnly(1990, 6, 15), AccountStatus.Normal);

    /// <summary>An unanswered invitation sent at <paramref name="invitedAt"/>, expiring after the preset's TTL.</summary>
    public static Binding Invitation(BindingRole role, DateTimeOffset invitedAt) =>
        new("bind-1", "shop-1", "acct-1", role, BindingState.Invited, invitedAt, invitedAt + Preset.InvitationTtl, null, null);

    /// <summary>A binding that became active at <paramref name="activatedAt"/> (accepted an hour after the invitation).</summary>
    public static Binding Active(BindingRole role, DateTimeOffset activatedAt) =>
        Invitation(role, activatedAt - Hours(1)) with { State = BindingState.Active, ActivatedAt = activatedAt };

    public static UnlinkRequest Unlink(UnlinkState state, DateTimeOffset requestedAt) =>
        new("unl-1", "bind-1", state, requestedAt, requestedAt + Preset.UnlinkAutoApproveAfter);

    /// <summary>The merchant invites the account from the shop's country; nothing is used yet.</summary>
    public static DecisionInput Invite(BindingRole role = BindingRole.Official) => new()
    {
        Shop = Shop(),
        Account = Account(),
        Role = role,
        Usage = ShopUsage.Empty,
        CallerCountry = "GB",
    };

    /// <summary>
    /// The creator accepts the invitation sent at <paramref name="invitedAt"/>. The invitation is live, so the shop's
    /// usage counts it (and, for a channel invitation, counts it as pending), as the store loads it.
    /// </summary>
    public static DecisionInput Accept(BindingRole role, DateTimeOffset invitedAt) => Invite(role) with
    {
        Binding = Invitation(role, invitedAt),
        Usage = role == BindingRole.Official
            ? ShopUsage.Empty with { LiveOfficial = 1 }
            : ShopUsage.Empty with { LiveChannel = 1, PendingChannel = 1 },
    };

    /// <summary>An action on an active binding (RequestUnlink) activated at <paramref name="activatedAt"/>.</summary>
    public static DecisionInput OnActive(BindingRole role, DateTimeOffset activatedAt) => Invite(role) with
    {
        Binding = Active(role, activatedAt),
        Usage = role == BindingRole.Official
            ? ShopUsage.Empty with { LiveOfficial = 1 }
            : ShopUsage.Empty with { LiveChannel = 1, ChannelBindsInWindow = [activatedAt] },
    };

    /// <summary>The shop answers a pending unlink request on a binding activated at <paramref name="activatedAt"/>.</summary>
    public static DecisionInput OnUnlink(BindingRole role, DateTimeOffset activatedAt, DateTimeOffset requestedAt,
        UnlinkState state = UnlinkState.Pending) => OnActive(role, activatedAt) with
    {
        Binding = Active(role, activatedAt) with { State = BindingState.UnlinkRequested },
        UnlinkRequest = Unlink(state, requestedAt),
    };

    public static Decision Decide(BindingAction action, DecisionInput input, DateTimeOffset now) =>
        Rules.Decide(action, input, Preset, now);

    public static string[] RulesOf(Decision decision) => decision.Reasons.Select(r => r.Rule).ToArray();

    public static Reason Single(Decision decision)
    {
        Assert.False(decision.IsAllowed);
        return Assert.Single(decision.Reasons);
    }
}

using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>TS-Q3 (10 channel binds per rolling 180 days, half-open window) and TS-Q4 (quota counters).</summary>
public sealed class ChannelQuotaTests
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(180);

    /// <summary>Channel binds on consecutive days, the first at <paramref name="first"/>.</summary>
    private static DateTimeOffset[] Binds(DateTimeOffset first, int count) =>
        Enumerable.Range(0, count).Select(i => first + Days(i)).ToArray();

    private static DecisionInput InviteChannel(IReadOnlyList<DateTimeOffset> binds, int pending = 0) =>
        Invite(BindingRole.Channel) with
        {
            Usage = ShopUsage.Empty with { LiveChannel = pending, PendingChannel = pending, ChannelBindsInWindow = binds },
        };

    private static QuotaLine Line(IReadOnlyList<QuotaLine> lines, string name) => Assert.Single(lines, l => l.Name == name);

    [Fact] // TS-Q3
    public void TS_Q3_the_preset_allows_10_channel_binds_per_180_days()
    {
        Assert.Equal(10, Preset.ChannelBindLimit);
        Assert.Equal(Window, Preset.ChannelBindWindow);
    }

    [Fact] // TS-Q3
    public void TS_Q3_nine_binds_in_the_window_leave_room_for_a_tenth()
    {
        Assert.True(Decide(BindingAction.Invite, InviteChannel(Binds(T0 - Days(100), 9)), T0).IsAllowed);
    }

    [Fact] // TS-Q3: ten binds fill the window; the slot frees when the oldest leaves it
    public void TS_Q3_ten_binds_in_the_window_refuse_an_eleventh_until_the_oldest_leaves()
    {
        var binds = Binds(T0 - Days(100), 10);

        var reason = Single(Decide(BindingAction.Invite, InviteChannel(binds), T0));

        Assert.Equal("TS-Q3", reason.Rule);
        Assert.Equal("channel_bind_quota_used", reason.Code);
        Assert.Equal(binds[0] + Window, reason.PassesAt);
        Assert.Equal("10", reason.Args!["used"]);
        Assert.Equal("10", reason.Args["limit"]);
        Assert.Equal("P180D", reason.Args["window"]);
    }

    [Fact] // TS-Q3: the window is half-open [t, t + 180 d): a bind at t no longer counts at exactly t + 180 d
    public void TS_Q3_a_bind_leaves_the_window_at_exactly_180_days()
    {
        var t = T0 - Days(170);
        var binds = Binds(t, 10);
        var input = InviteChannel(binds);

        var reason = Single(Decide(BindingAction.Invite, input, t + Window - Tick));
        Assert.Equal("TS-Q3", reason.Rule);
        Assert.Equal(t + Window, reason.PassesAt);

        Assert.True(Decide(BindingAction.Invite, input, t + Window).IsAllowed);
    }

    [Fact] // TS-Q3, TS-Q4: [b, b + 180 d) seen from now: a bind exactly 180 days old is out, one a tick younger is in, one not yet made is out
    public void TS_Q3_the_window_boundary_is_half_open_for_the_decision_and_the_quota_line_alike()
    {
        var atStart = T0 - Window;                    // its interval [T0 - 180 d, T0) has just ended
        var tickLater = T0 - Window + Tick;           // its interval ends a tick after T0
        var future = T0 + Tick;                       // not yet made at T0
        DateTimeOffset[] binds = [atStart, tickLater, .. Binds(T0 - Days(100), 8)];
        var usage = ShopUsage.Empty with { ChannelBindsInWindow = [.. binds, future] };

        var line = Line(Quotas.For(Shop(), Preset, usage, T0), "channel_binds");
        Assert.Equal(9, line.Used);                   // tickLater + 8; not atStart, not future
        Assert.Equal(tickLater + Window, line.NextSlotAt); // the oldest counting bind leaves first
        Assert.True(Decide(BindingAction.Invite, InviteChannel(binds), T0).IsAllowed);

        var oneMore = InviteChannel(binds, pending: 1);
        var full = Line(Quotas.For(Shop(), Preset, oneMore.Usage, T0), "channel_binds");
        var reason = Single(Decide(BindingAction.Invite, oneMore, T0));
        Assert.Equal(("TS-Q3", "10"), (reason.Rule, reason.Args!["used"]));
        Assert.Equal(tickLater + Window, reason.PassesAt); // = T0 + a tick: the end of tickLater's interval
        Assert.Equal(reason.PassesAt, full.NextSlotAt);
        Assert.True(Decide(BindingAction.Invite, oneMore, tickLater + Window).IsAllowed);
    }

    [Fact] // TS-Q3: a bind counts from its own instant
    public void TS_Q3_a_bind_counts_at_the_instant_it_happened()
    {
        var binds = Binds(T0 - Days(9), 10); // the tenth is at T0 exactly

        Assert.Equal(["TS-Q3"], RulesOf(Decide(BindingAction.Invite, InviteChannel(binds), T0)));
    }

    [Fact] // TS-Q3: unanswered channel invitations count as spent binds
    public void TS_Q3_pending_channel_invitations_count_against_the_window()
    {
        var binds = Binds(T0 - Days(100), 8);

        Assert.True(Decide(BindingAction.Invite, InviteChannel(binds, pending: 1), T0).IsAllowed);

        var reason = Single(Decide(BindingAction.Invite, InviteChannel(binds, pending: 2), T0));
        Assert.Equal("TS-Q3", reason.Rule);
        Assert.Equal("10", reason.Args!["used"]);
        Assert.Equal(binds[0] + Window, reason.PassesAt);
    }

    [Fact] // TS-Q3: with binds outside the window, several inside and pending invitations, PassesAt is the right bind + 180 d
    public void TS_Q3_PassesAt_is_when_enough_binds_have_left_the_window()
    {
        var old = T0 - Days(200);                  // already outside the window
        var inside = Binds(T0 - Days(150), 9);     // nine inside
        DateTimeOffset[] binds = [old, .. inside];
        var input = InviteChannel(binds, pending: 2); // 9 + 2 = 11 used: two binds must leave

        var reason = Single(Decide(BindingAction.Invite, input, T0));
        Assert.Equal("11", reason.Args!["used"]);
        Assert.Equal(inside[1] + Window, reason.PassesAt);

        Assert.Equal(["TS-Q3"], RulesOf(Decide(BindingAction.Invite, input, inside[1] + Window - Tick)));
        Assert.True(Decide(BindingAction.Invite, input, inside[1] + Window).IsAllowed);
    }

    [Fact] // TS-Q3: when pending invitations alone fill the quota, waiting does not help
    public void TS_Q3_no_PassesAt_when_pending_invitations_alone_fill_the_quota()
    {
        var input = Invite(BindingRole.Channel) with
        {
            Usage = ShopUsage.Empty with { LiveChannel = 3, PendingChannel = 3, ChannelBindsInWindow = Binds(T0 - Days(10), 7) },
        };
        var tightPolicy = Preset with { ChannelBindLimit = 3 };

        var reason = Single(Rules.Decide(BindingAction.Invite, input, tightPolicy, T0));

        Assert.Equal("TS-Q3", reason.Rule);
        Assert.Null(reason.PassesAt);
    }

    [Fact] // TS-Q3: accepting does not spend the accepted invitation twice
    public void TS_Q3_accept_excludes_the_invitation_itself_from_the_quota()
    {
        var accept = Accept(BindingRole.Channel, T0) with
        {
            Usage = ShopUsage.Empty with { LiveChannel = 1, PendingChannel = 1, ChannelBindsInWindow = Binds(T0 - Days(100), 9) },
        };
        Assert.True(Decide(BindingAction.Accept, accept, T0 + Hours(1)).IsAllowed);

        var withAnotherPending = accept with { Usage = accept.Usage with { LiveChannel = 2, PendingChannel = 2 } };
        var reason = Single(Decide(BindingAction.Accept, withAnotherPending, T0 + Hours(1)));
        Assert.Equal("TS-Q3", reason.Rule);
        Assert.Equal("10", reason.Args!["used"]);
    }

    [Fact] // TS-Q3: channel binds that have since ended still count (the shop holds none)
    public void TS_Q3_ended_channel_binds_still_count()
    {
        Assert.Equal(["TS-Q3"], RulesOf(Decide(BindingAction.Invite, InviteChannel(Binds(T0 - Days(100), 10)), T0)));
    }

    [Fact] // TS-Q3: the official role is not limited by the channel window
    public void TS_Q3_an_official_invitation_ignores_the_channel_window()
    {
        var input = InviteChannel(Binds(T0 - Days(100), 10)) with { Role = BindingRole.Official };

        Assert.True(Decide(BindingAction.Invite, input, T0).IsAllowed);
    }

    [Fact] // TS-Q4: a fresh invited shop sees every counter with its limit and window
    public void TS_Q4_a_fresh_shop_sees_all_quota_lines()
    {
        var lines = Quotas.For(Shop(MerchantType.Invited), Preset, ShopUsage.Empty, T0);

        Assert.Equal(
            [
                new QuotaLine("official_capacity", "TS-B2", 0, 1, "at_once", null),
                new QuotaLine("channel_capacity", "TS-B2", 0, 4, "at_once", null),
                new QuotaLine("official_unbinds", "TS-Q2", 0, 3, "lifetime", null),
                new QuotaLine("channel_binds", "TS-Q3", 0, 10, "P180D", null),
            ],
            lines);
    }

    [Fact] // TS-Q4: a regular shop's capacity lines name TS-B1
    public void TS_Q4_a_regular_shop_sees_TS_B1_limits()
    {
        var lines = Quotas.For(Shop(MerchantType.Regular), Preset, ShopUsage.Empty with { LiveOfficial = 1 }, T0);

        var official = Line(lines, "official_capacity");
        Assert.Equal(("TS-B1", 1, 1, 0), (official.Rule, official.Used, official.Limit, official.Remaining));
        Assert.Equal(0, Line(lines, "channel_capacity").Limit);
    }

    [Fact] // TS-Q4: "2 of 3 official unbinds left"
    public void TS_Q4_official_unbinds_left()
    {
        var line = Line(Quotas.For(Shop(), Preset, ShopUsage.Empty with { OfficialUnbindsUsed = 1 }, T0), "official_unbinds");

        Assert.Equal((1, 3, 2), (line.Used, line.Limit, line.Remaining));
        Assert.Null(line.NextSlotAt);
    }

    [Fact] // TS-Q4: the channel counter counts pending invitations and says when the next slot frees, as Decide does
    public void TS_Q4_next_channel_slot_is_the_right_bind_plus_180_days_and_matches_the_denial()
    {
        var inside = Binds(T0 - Days(150), 9);
        DateTimeOffset[] binds = [T0 - Days(181), .. inside];
        var usage = ShopUsage.Empty with { LiveChannel = 2, PendingChannel = 2, ChannelBindsInWindow = binds };

        var line = Line(Quotas.For(Shop(), Preset, usage, T0), "channel_binds");

        Assert.Equal((11, 10, 0), (line.Used, line.Limit, line.Remaining));
        Assert.Equal(inside[1] + Window, line.NextSlotAt);
        var denial = Single(Decide(BindingAction.Invite, Invite(BindingRole.Channel) with { Usage = usage }, T0));
        Assert.Equal(line.NextSlotAt, denial.PassesAt);
    }

    [Fact] // TS-Q4: a full window frees its next slot when the oldest bind leaves
    public void TS_Q4_a_full_window_frees_a_slot_when_the_oldest_bind_leaves()
    {
        var binds = Binds(T0 - Days(100), 10);

        var line = Line(Quotas.For(Shop(), Preset, ShopUsage.Empty with { ChannelBindsInWindow = binds }, T0), "channel_binds");

        Assert.Equal((10, 0), (line.Used, line.Remaining));
        Assert.Equal(binds[0] + Window, line.NextSlotAt);

        var later = Line(Quotas.For(Shop(), Preset, ShopUsage.Empty with { ChannelBindsInWindow = binds }, binds[0] + Window), "channel_binds");
        Assert.Equal((9, 1), (later.Used, later.Remaining));
    }

    [Fact] // TS-Q4, TS-Q5: on probation the lower limit shows, with the next slot when probation ends
    public void TS_Q4_on_probation_the_channel_capacity_line_is_TS_Q5_until_probation_ends()
    {
        var probationEnds = T0 + Days(30);
        var shop = Shop(MerchantType.Invited, ShopKind.Business, probationEnds);
        var usage = ShopUsage.Empty with { LiveChannel = 1 };

        var during = Line(Quotas.For(shop, Preset, usage, T0), "channel_capacity");
        Assert.Equal(new QuotaLine("channel_capacity", "TS-Q5", 1, 1, "at_once", probationEnds), during);

        var after = Line(Quotas.For(shop, Preset, usage, probationEnds), "channel_capacity");
        Assert.Equal(new QuotaLine("channel_capacity", "TS-B2", 1, 4, "at_once", null), after);
    }

    [Fact] // TS-Q4, TS-Q5: probation ending frees nothing when the normal capacity is full too
    public void TS_Q4_no_next_slot_at_probation_end_when_the_normal_capacity_is_full()
    {
        var shop = Shop(MerchantType.Invited, ShopKind.Business, T0 + Days(30));

        var line = Line(Quotas.For(shop, Preset, ShopUsage.Empty with { LiveChannel = 4 }, T0), "channel_capacity");

        Assert.Null(line.NextSlotAt);
    }
}

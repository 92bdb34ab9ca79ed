using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>TS-Q1, TS-Q2 (unbind timing and official unbind quota) and TS-U1..TS-U4 (unlink requests and after).</summary>
public sealed class UnbindTests
{
    [Fact] // TS-Q1
    public void TS_Q1_the_preset_requires_24_hours_before_unbinding()
    {
        Assert.Equal(TimeSpan.FromHours(24), Preset.MinimumActiveBeforeUnbind);
    }

    [Theory] // TS-Q1: passes at exactly activation + 24 h
    [InlineData(BindingRole.Official)]
    [InlineData(BindingRole.Channel)]
    public void TS_Q1_an_unlink_can_be_requested_24_hours_after_activation(BindingRole role)
    {
        Assert.True(Decide(BindingAction.RequestUnlink, OnActive(role, T0), T0 + Hours(24)).IsAllowed);
    }

    [Theory] // TS-Q1: one tick earlier it is refused, passing at activation + 24 h
    [InlineData(BindingRole.Official)]
    [InlineData(BindingRole.Channel)]
    public void TS_Q1_an_unlink_one_tick_before_24_hours_is_refused_until_then(BindingRole role)
    {
        var reason = Single(Decide(BindingAction.RequestUnlink, OnActive(role, T0), T0 + Hours(24) - Tick));

        Assert.Equal("TS-Q1", reason.Rule);
        Assert.Equal("unbind_too_early", reason.Code);
        Assert.Equal(T0 + Hours(24), reason.PassesAt);
    }

    [Fact] // TS-Q1: the shop's approval is checked too
    public void TS_Q1_approving_an_unlink_is_refused_before_24_hours()
    {
        var input = OnUnlink(BindingRole.Channel, T0, T0 + Hours(1));

        Assert.Equal(T0 + Hours(24), Single(Decide(BindingAction.ApproveUnlink, input, T0 + Hours(2))).PassesAt);
        Assert.True(Decide(BindingAction.ApproveUnlink, input, T0 + Hours(24)).IsAllowed);
    }

    [Fact] // TS-Q2
    public void TS_Q2_the_preset_allows_3_official_unbinds_per_lifetime()
    {
        Assert.Equal(3, Preset.OfficialUnbindsPerLifetime);
    }

    [Fact] // TS-Q2: the third official unbind is still possible
    public void TS_Q2_an_official_unbind_is_allowed_after_two_earlier_ones()
    {
        var input = OnActive(BindingRole.Official, T0) with { Usage = ShopUsage.Empty with { LiveOfficial = 1, OfficialUnbindsUsed = 2 } };

        Assert.True(Decide(BindingAction.RequestUnlink, input, T0 + Days(2)).IsAllowed);
    }

    [Fact] // TS-Q2: after three, never again (no PassesAt)
    public void TS_Q2_a_fourth_official_unbind_is_refused_for_good()
    {
        var input = OnActive(BindingRole.Official, T0) with { Usage = ShopUsage.Empty with { LiveOfficial = 1, OfficialUnbindsUsed = 3 } };

        var reason = Single(Decide(BindingAction.RequestUnlink, input, T0 + Days(400)));

        Assert.Equal("TS-Q2", reason.Rule);
        Assert.Equal("official_unbinds_used", reason.Code);
        Assert.Null(reason.PassesAt);
        Assert.Equal("3", reason.Args!["used"]);
        Assert.Equal("3", reason.Args["limit"]);
    }

    [Fact] // TS-Q2: the shop's approval is checked too
    public void TS_Q2_approving_a_fourth_official_unbind_is_refused()
    {
        var input = OnUnlink(BindingRole.Official, T0, T0 + Days(2)) with { Usage = ShopUsage.Empty with { LiveOfficial = 1, OfficialUnbindsUsed = 3 } };

        Assert.Equal(["TS-Q2"], RulesOf(Decide(BindingAction.ApproveUnlink, input, T0 + Days(3))));
    }

    [Fact] // TS-Q2: only official unbinds are limited
    public void TS_Q2_a_channel_unbind_is_not_limited_by_the_official_quota()
    {
        var input = OnActive(BindingRole.Channel, T0) with { Usage = ShopUsage.Empty with { LiveChannel = 1, OfficialUnbindsUsed = 3 } };

        Assert.True(Decide(BindingAction.RequestUnlink, input, T0 + Days(2)).IsAllowed);
    }

    [Fact] // TS-Q1, TS-Q2: both reasons at once, and no AllPassAt because TS-Q2 never passes by waiting
    public void TS_Q1_and_TS_Q2_are_reported_together()
    {
        var input = OnActive(BindingRole.Official, T0) with { Usage = ShopUsage.Empty with { LiveOfficial = 1, OfficialUnbindsUsed = 3 } };

        var decision = Decide(BindingAction.RequestUnlink, input, T0 + Hours(1));

        Assert.Equal(["TS-Q1", "TS-Q2"], RulesOf(decision));
        Assert.Null(decision.AllPassAt);
    }

    [Fact] // TS-U1: the creator sends an unlink request from an active binding
    public void TS_U1_an_unlink_request_needs_an_active_binding()
    {
        var active = OnActive(BindingRole.Official, T0);
        Assert.True(Decide(BindingAction.RequestUnlink, active, T0 + Days(2)).IsAllowed);

        foreach (var (state, wire) in new[] { (BindingState.Invited, "invited"), (BindingState.UnlinkRequested, "unlink_requested"), (BindingState.Ended, "ended") })
        {
            var input = active with { Binding = active.Binding! with { State = state } };
            var reason = Single(Decide(BindingAction.RequestUnlink, input, T0 + Days(2)));
            Assert.Equal("TS-U1", reason.Rule);
            Assert.Equal("binding_not_active", reason.Code);
            Assert.Equal(wire, reason.Args!["state"]);
        }
    }

    [Theory] // TS-U1: the shop approves or rejects a pending request
    [InlineData(BindingAction.ApproveUnlink)]
    [InlineData(BindingAction.RejectUnlink)]
    public void TS_U1_the_shop_can_answer_a_pending_unlink_request(BindingAction action)
    {
        Assert.True(Decide(action, OnUnlink(BindingRole.Official, T0, T0 + Days(2)), T0 + Days(3)).IsAllowed);
    }

    [Theory] // TS-U1: an answered request cannot be answered again
    [InlineData(BindingAction.ApproveUnlink, UnlinkState.Approved, "approved")]
    [InlineData(BindingAction.ApproveUnlink, UnlinkState.Rejected, "rejected")]
    [InlineData(BindingAction.RejectUnlink, UnlinkState.AutoApproved, "auto_approved")]
    [InlineData(BindingAction.RejectUnlink, UnlinkState.Approved, "approved")]
    public void TS_U1_an_answered_unlink_request_cannot_be_answered_again(BindingAction action, UnlinkState state, string wire)
    {
        var input = OnUnlink(BindingRole.Official, T0, T0 + Days(2), state);

        var reason = Single(Decide(action, input, T0 + Days(3)));

        Assert.Equal("TS-U1", reason.Rule);
        Assert.Equal("unlink_not_pending", reason.Code);
        Assert.Equal(wire, reason.Args!["state"]);
    }

    [Fact] // TS-U1: rejecting is not held back by the unbind timing rules
    public void TS_U1_a_request_can_be_rejected_at_any_time()
    {
        var input = OnUnlink(BindingRole.Official, T0, T0 + Hours(1)) with { Usage = ShopUsage.Empty with { LiveOfficial = 1, OfficialUnbindsUsed = 3 } };

        Assert.True(Decide(BindingAction.RejectUnlink, input, T0 + Hours(2)).IsAllowed);
    }

    [Theory]
    [InlineData(BindingAction.ApproveUnlink)]
    [InlineData(BindingAction.RejectUnlink)]
    public void Answering_an_unlink_needs_the_request(BindingAction action)
    {
        Assert.Throws<ArgumentException>(() => Decide(action, OnActive(BindingRole.Official, T0), T0 + Days(2)));
    }

    [Fact] // TS-U2: an ended binding no longer holds the account, so another shop can invite it
    public void TS_U2_after_unbinding_the_account_can_be_invited_by_another_shop()
    {
        var ended = Active(BindingRole.Official, T0) with { State = BindingState.Ended, EndedAt = T0 + Days(2) };
        var otherShop = Shop() with { Id = "shop-2" };

        Assert.True(Active(BindingRole.Official, T0).IsLive);
        Assert.False(ended.IsLive);

        // While live, the binding is a hold on the account; once ended, the store finds no hold.
        var whileBound = Invite() with { Shop = otherShop, AccountHeldBy = new AccountHold("bind-1", "shop-1", BindingState.Active) };
        Assert.Equal(["TS-B3"], RulesOf(Decide(BindingAction.Invite, whileBound, T0 + Days(1))));

        var afterUnbind = whileBound with { AccountHeldBy = ended.IsLive ? new AccountHold(ended.Id, ended.ShopId, ended.State) : null };
        Assert.True(Decide(BindingAction.Invite, afterUnbind, T0 + Days(2)).IsAllowed);
    }

    [Fact] // TS-U2: after unbinding the shop can bind another official account; the spent unbind does not block binding
    public void TS_U2_after_unbinding_the_shop_can_invite_another_official_account()
    {
        var regular = Shop(MerchantType.Regular);
        var whileBound = Invite() with { Shop = regular, Usage = ShopUsage.Empty with { LiveOfficial = 1 } };
        Assert.Equal(["TS-B1"], RulesOf(Decide(BindingAction.Invite, whileBound, T0)));

        var afterUnbind = whileBound with { Usage = ShopUsage.Empty with { LiveOfficial = 0, OfficialUnbindsUsed = 3 } };
        Assert.True(Decide(BindingAction.Invite, afterUnbind, T0).IsAllowed);
    }

    [Theory] // TS-U2, TS-B3: which states hold an account
    [InlineData(BindingState.Invited, true)]
    [InlineData(BindingState.Active, true)]
    [InlineData(BindingState.UnlinkRequested, true)]
    [InlineData(BindingState.Ended, false)]
    [InlineData(BindingState.Declined, false)]
    [InlineData(BindingState.Cancelled, false)]
    [InlineData(BindingState.Expired, false)]
    public void TS_U2_only_invited_active_and_unlink_requested_bindings_are_live(BindingState state, bool live)
    {
        Assert.Equal(live, (Invitation(BindingRole.Channel, T0) with { State = state }).IsLive);
    }

    [Fact] // TS-U3: unbinding deletes nothing; the ended binding keeps its history
    public void TS_U3_an_ended_binding_keeps_its_role_times_and_end()
    {
        var active = Active(BindingRole.Channel, T0);
        var ended = active with { State = BindingState.Ended, EndedAt = T0 + Days(3) };

        Assert.False(ended.IsLive);
        Assert.Equal(T0 + Days(3), ended.EndedAt);
        Assert.Equal(T0, ended.ActivatedAt);
        Assert.Equal(active.InvitedAt, ended.InvitedAt);
        Assert.Equal(BindingRole.Channel, ended.Role);
        Assert.Equal(("shop-1", "acct-1"), (ended.ShopId, ended.AccountId));
    }

    [Fact] // TS-U4
    public void TS_U4_an_unanswered_unlink_request_is_approved_automatically_after_7_days()
    {
        Assert.Equal(TimeSpan.FromDays(7), Preset.UnlinkAutoApproveAfter);
    }
}

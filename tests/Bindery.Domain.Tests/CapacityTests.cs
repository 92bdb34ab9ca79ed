using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>TS-B1..TS-B4 (role capacity and traits) and TS-Q5 (lower capacity during probation).</summary>
public sealed class CapacityTests
{
    private static DecisionInput RegularInvite(BindingRole role, ShopUsage usage) =>
        Invite(role) with { Shop = Shop(MerchantType.Regular), Usage = usage };

    private static DecisionInput InvitedInvite(BindingRole role, ShopUsage usage) =>
        Invite(role) with { Shop = Shop(MerchantType.Invited), Usage = usage };

    [Fact] // TS-B1
    public void TS_B1_a_regular_shop_can_invite_its_first_official_account()
    {
        Assert.True(Decide(BindingAction.Invite, RegularInvite(BindingRole.Official, ShopUsage.Empty), T0).IsAllowed);
    }

    [Fact] // TS-B1
    public void TS_B1_a_regular_shop_with_an_official_account_cannot_invite_another()
    {
        var reason = Single(Decide(BindingAction.Invite, RegularInvite(BindingRole.Official, ShopUsage.Empty with { LiveOfficial = 1 }), T0));

        Assert.Equal("TS-B1", reason.Rule);
        Assert.Equal("capacity_full", reason.Code);
        Assert.Null(reason.PassesAt);
        Assert.Equal("1", reason.Args!["limit"]);
        Assert.Equal("1", reason.Args["used"]);
        Assert.Equal("official", reason.Args["role"]);
        Assert.Equal("regular", reason.Args["merchantType"]);
    }

    [Fact] // TS-B1: zero channel accounts
    public void TS_B1_a_regular_shop_cannot_invite_any_channel_account()
    {
        var reason = Single(Decide(BindingAction.Invite, RegularInvite(BindingRole.Channel, ShopUsage.Empty), T0));

        Assert.Equal("TS-B1", reason.Rule);
        Assert.Equal("0", reason.Args!["limit"]);
        Assert.Equal("channel", reason.Args["role"]);
    }

    [Fact] // TS-B2
    public void TS_B2_an_invited_shop_can_hold_four_channel_accounts_but_not_five()
    {
        Assert.True(Decide(BindingAction.Invite, InvitedInvite(BindingRole.Channel, ShopUsage.Empty with { LiveChannel = 3 }), T0).IsAllowed);

        var reason = Single(Decide(BindingAction.Invite, InvitedInvite(BindingRole.Channel, ShopUsage.Empty with { LiveChannel = 4 }), T0));
        Assert.Equal("TS-B2", reason.Rule);
        Assert.Equal("capacity_full", reason.Code);
        Assert.Equal("4", reason.Args!["limit"]);
        Assert.Equal("invited", reason.Args["merchantType"]);
    }

    [Fact] // TS-B2
    public void TS_B2_an_invited_shop_holds_one_official_account()
    {
        Assert.True(Decide(BindingAction.Invite, InvitedInvite(BindingRole.Official, ShopUsage.Empty), T0).IsAllowed);
        Assert.Equal(["TS-B2"], RulesOf(Decide(BindingAction.Invite, InvitedInvite(BindingRole.Official, ShopUsage.Empty with { LiveOfficial = 1 }), T0)));
    }

    [Fact] // TS-B2: official and channel capacities are separate
    public void TS_B2_a_full_channel_capacity_does_not_block_the_official_role()
    {
        var usage = ShopUsage.Empty with { LiveChannel = 4 };

        Assert.True(Decide(BindingAction.Invite, InvitedInvite(BindingRole.Official, usage), T0).IsAllowed);
    }

    [Fact] // TS-B3: pending invitations count against capacity
    public void TS_B3_four_unanswered_channel_invitations_fill_an_invited_shop()
    {
        // The store counts unanswered invitations as live and as pending channel binds.
        var usage = ShopUsage.Empty with { LiveChannel = 4, PendingChannel = 4 };

        var reason = Single(Decide(BindingAction.Invite, InvitedInvite(BindingRole.Channel, usage), T0));

        Assert.Equal("TS-B2", reason.Rule);
        Assert.Equal("4", reason.Args!["used"]);
    }

    [Fact] // TS-B3: an account is held by an unanswered invitation too
    public void TS_B3_an_account_with_a_pending_invitation_elsewhere_cannot_be_invited()
    {
        var input = Invite(BindingRole.Channel) with { AccountHeldBy = new AccountHold("bind-2", "shop-2", BindingState.Invited) };

        Assert.Equal(["TS-B3"], RulesOf(Decide(BindingAction.Invite, input, T0)));
    }

    [Fact] // TS-B1: accepting does not count the accepted invitation twice
    public void TS_B1_accept_excludes_the_invitation_itself_from_capacity()
    {
        // The only live official binding of the regular shop is the invitation being accepted.
        var input = Accept(BindingRole.Official, T0) with { Shop = Shop(MerchantType.Regular) };

        Assert.True(Decide(BindingAction.Accept, input, T0 + Hours(1)).IsAllowed);
    }

    [Fact] // TS-B1: ... but another live official binding still blocks it
    public void TS_B1_accept_is_refused_when_another_official_binding_is_live()
    {
        var input = Accept(BindingRole.Official, T0) with
        {
            Shop = Shop(MerchantType.Regular),
            Usage = ShopUsage.Empty with { LiveOfficial = 2 },
        };

        var reason = Single(Decide(BindingAction.Accept, input, T0 + Hours(1)));

        Assert.Equal("TS-B1", reason.Rule);
        Assert.Equal("1", reason.Args!["used"]);
    }

    [Fact] // TS-B2: four live channel bindings, one of them the invitation being accepted
    public void TS_B2_accept_of_the_fourth_channel_invitation_is_allowed()
    {
        var input = Accept(BindingRole.Channel, T0) with { Usage = ShopUsage.Empty with { LiveChannel = 4, PendingChannel = 1 } };

        Assert.True(Decide(BindingAction.Accept, input, T0 + Hours(1)).IsAllowed);
    }

    [Fact] // TS-B4
    public void TS_B4_official_accounts_sync_products_automatically_and_channel_accounts_add_them_by_hand()
    {
        var official = Preset.Traits(BindingRole.Official);
        Assert.True(official.ProductsSyncAutomatically);
        Assert.True(official.MayAddProductsByHand);

        var channel = Preset.Traits(BindingRole.Channel);
        Assert.False(channel.ProductsSyncAutomatically);
        Assert.True(channel.MayAddProductsByHand);
    }

    [Fact] // TS-Q5: a business shop on probation holds 1 channel account; the denial passes when probation ends
    public void TS_Q5_probation_holds_a_business_shop_to_one_channel_account_until_it_ends()
    {
        var probationEnds = T0 + Days(30);
        var input = Invite(BindingRole.Channel) with
        {
            Shop = Shop(MerchantType.Invited, ShopKind.Business, probationEnds),
            Usage = ShopUsage.Empty with { LiveChannel = 1 },
        };

        var reason = Single(Decide(BindingAction.Invite, input, probationEnds - Tick));
        Assert.Equal("TS-Q5", reason.Rule);
        Assert.Equal("probation_capacity_full", reason.Code);
        Assert.Equal(probationEnds, reason.PassesAt);
        Assert.Equal("1", reason.Args!["limit"]);

        Assert.True(Decide(BindingAction.Invite, input, probationEnds).IsAllowed);
    }

    [Fact] // TS-Q5: a business shop on probation may still bind its first channel account
    public void TS_Q5_a_business_shop_on_probation_can_invite_its_first_channel_account()
    {
        var input = Invite(BindingRole.Channel) with { Shop = Shop(MerchantType.Invited, ShopKind.Business, T0 + Days(30)) };

        Assert.True(Decide(BindingAction.Invite, input, T0).IsAllowed);
    }

    [Fact] // TS-Q5: an individual shop on probation holds 0 channel accounts
    public void TS_Q5_an_individual_shop_on_probation_cannot_invite_a_channel_account()
    {
        var probationEnds = T0 + Days(30);
        var input = Invite(BindingRole.Channel) with { Shop = Shop(MerchantType.Invited, ShopKind.Individual, probationEnds) };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Equal("TS-Q5", reason.Rule);
        Assert.Equal(probationEnds, reason.PassesAt);
        Assert.Equal("0", reason.Args!["limit"]);
    }

    [Fact] // TS-Q5: when the normal capacity is full too, the denial is TS-B2 and waiting for probation does not help
    public void TS_Q5_beyond_the_normal_capacity_the_denial_is_TS_B2_with_no_PassesAt()
    {
        var input = Invite(BindingRole.Channel) with
        {
            Shop = Shop(MerchantType.Invited, ShopKind.Business, T0 + Days(30)),
            Usage = ShopUsage.Empty with { LiveChannel = 4 },
        };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Equal("TS-B2", reason.Rule);
        Assert.Equal("capacity_full", reason.Code);
        Assert.Null(reason.PassesAt);
        // The limit quoted is the one the rule names (TS-B2: 4), not the probation figure.
        Assert.Equal("4", reason.Args!["limit"]);
    }

    [Fact] // TS-Q5: the official limit on probation (1) equals the normal one, so the denial stays TS-B1
    public void TS_Q5_probation_does_not_change_a_regular_shops_official_denial()
    {
        var input = Invite(BindingRole.Official) with
        {
            Shop = Shop(MerchantType.Regular, ShopKind.Individual, T0 + Days(30)),
            Usage = ShopUsage.Empty with { LiveOfficial = 1 },
        };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Equal("TS-B1", reason.Rule);
        Assert.Null(reason.PassesAt);
    }

    [Fact] // TS-Q5: accept on probation excludes the invitation itself, like normal capacity
    public void TS_Q5_accepting_the_single_probation_channel_invitation_is_allowed()
    {
        var input = Accept(BindingRole.Channel, T0) with { Shop = Shop(MerchantType.Invited, ShopKind.Business, T0 + Days(30)) };

        Assert.True(Decide(BindingAction.Accept, input, T0 + Hours(1)).IsAllowed);
    }
}

using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>Z-4: an invitation that replaces the current official binding.</summary>
public sealed class SwapRuleTests
{
    private static DecisionInput SwapInvite(DateTimeOffset currentActivatedAt, int unbindsUsed = 0) => Invite(BindingRole.Official) with
    {
        Replacing = Active(BindingRole.Official, currentActivatedAt) with { Id = "current", AccountId = "acct-0" },
        Usage = ShopUsage.Empty with { LiveOfficial = 1, OfficialUnbindsUsed = unbindsUsed },
    };

    [Fact] // Z-4, TS-B2
    public void The_replaced_binding_frees_its_slot_so_a_full_shop_may_swap()
    {
        Assert.Equal(["TS-B2"], RulesOf(Decide(BindingAction.Invite, Invite() with { Usage = ShopUsage.Empty with { LiveOfficial = 1 } }, T0)));
        Assert.True(Decide(BindingAction.Invite, SwapInvite(T0 - Days(2)), T0).IsAllowed);
    }

    [Fact] // Z-4, TS-Q1
    public void The_current_binding_must_have_served_its_minimum_time()
    {
        var reason = Single(Decide(BindingAction.Invite, SwapInvite(T0), T0 + Hours(24) - Tick));

        Assert.Equal("TS-Q1", reason.Rule);
        Assert.Equal(T0 + Hours(24), reason.PassesAt);
    }

    [Fact] // Z-4, TS-Q2
    public void A_swap_spends_an_official_unbind_so_one_must_be_left()
    {
        Assert.True(Decide(BindingAction.Invite, SwapInvite(T0 - Days(2), unbindsUsed: 2), T0).IsAllowed);
        Assert.Equal(["TS-Q2"], RulesOf(Decide(BindingAction.Invite, SwapInvite(T0 - Days(2), unbindsUsed: 3), T0)));
    }

    [Fact] // Z-4
    public void Accepting_a_swap_counts_neither_the_invitation_nor_the_replaced_binding_against_capacity()
    {
        var accept = SwapInvite(T0 - Days(2)) with
        {
            Binding = Invitation(BindingRole.Official, T0),
            Usage = ShopUsage.Empty with { LiveOfficial = 2 },
        };

        Assert.True(Decide(BindingAction.Accept, accept, T0 + Hours(1)).IsAllowed);
        Assert.Equal(["TS-B2"], RulesOf(Decide(BindingAction.Accept, accept with { Replacing = null }, T0 + Hours(1))));
    }

    [Fact] // Z-4, DY-O2
    public void A_binding_undone_only_by_application_cannot_be_swapped()
    {
        var input = SwapInvite(T0 - Days(400)) with
        {
            Shop = Shop() with { PolicyId = "douyin", Country = new CountryCode("CN") },
            Account = Account() with { Origin = AccountOrigin.Douyin, RegistrationCountry = new CountryCode("CN") },
        };

        Assert.Equal(["DY-O2"], RulesOf(Rules.Decide(BindingAction.Invite, input, Douyin, T0)));
    }
}

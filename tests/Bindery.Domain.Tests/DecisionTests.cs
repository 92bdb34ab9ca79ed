using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>X-4: a denial lists every failing rule at once, and when all of them are time rules, when all pass.</summary>
public sealed class DecisionTests
{
    [Fact] // TS-E1, TS-E2, TS-E3, TS-E4, TS-E5, TS-B3, TS-B2, TS-Q3: all reasons at once, not just the first
    public void A_denied_invitation_lists_every_failing_rule()
    {
        var input = new DecisionInput
        {
            Shop = Shop() with { Status = ShopStatus.Restricted, EcommercePermission = false },
            Account = new Account("acct-1", AccountOrigin.TikTok, new CountryCode("FR"), new DateOnly(2010, 5, 5), AccountStatus.Banned),
            Role = BindingRole.Channel,
            Usage = new ShopUsage(0, 4, 0, 0, Enumerable.Range(0, 10).Select(i => T0 - Days(50 - i)).ToArray()),
            AccountHeldBy = new AccountHold("bind-9", "shop-9", BindingState.Active),
            CallerCountry = "DE",
        };

        var decision = Decide(BindingAction.Invite, input, T0);

        Assert.False(decision.IsAllowed);
        Assert.Equal(
            ["account_already_bound", "account_country_mismatch", "account_not_normal", "account_under_age", "caller_country_mismatch",
                "capacity_full", "channel_bind_quota_used", "shop_ecommerce_revoked", "shop_not_normal"],
            decision.Reasons.Select(r => r.Code).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["TS-B2", "TS-B3", "TS-E1", "TS-E2", "TS-E3", "TS-E4", "TS-E5", "TS-Q3"],
            decision.Reasons.Select(r => r.Rule).Distinct().Order(StringComparer.Ordinal));
        Assert.Null(decision.AllPassAt);
    }

    [Fact] // TS-I1, TS-E1, TS-B1: an accept of an expired invitation also reports the other failures
    public void A_denied_accept_lists_expiry_and_eligibility_together()
    {
        var input = Accept(BindingRole.Official, T0) with
        {
            Shop = Shop(MerchantType.Regular),
            Account = Account() with { Status = AccountStatus.Restricted },
            Usage = ShopUsage.Empty with { LiveOfficial = 2 },
        };

        var decision = Decide(BindingAction.Accept, input, T0 + Hours(48));

        Assert.Equal(["TS-B1", "TS-E1", "TS-I1"], RulesOf(decision).Order(StringComparer.Ordinal));
    }

    [Fact] // TS-E2, TS-Q5, TS-Q3: when every failing rule is a time rule, AllPassAt is the latest PassesAt
    public void AllPassAt_is_the_latest_instant_when_every_failing_rule_passes_by_waiting()
    {
        var probationEnds = T0 + Days(30);
        var binds = Enumerable.Range(0, 10).Select(i => T0 - Days(100) + Days(i)).ToArray(); // oldest leaves at T0 + 80 d
        var birthday18 = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
        var input = Invite(BindingRole.Channel) with
        {
            Shop = Shop(MerchantType.Invited, ShopKind.Business, probationEnds),
            Account = Account(new DateOnly(2008, 4, 1)),
            Usage = ShopUsage.Empty with { LiveChannel = 1, ChannelBindsInWindow = binds },
        };

        var decision = Decide(BindingAction.Invite, input, T0);

        Assert.Equal(["TS-E2", "TS-Q3", "TS-Q5"], RulesOf(decision).Order(StringComparer.Ordinal));
        Assert.Equal(birthday18, Assert.Single(decision.Reasons, r => r.Rule == "TS-E2").PassesAt);
        Assert.Equal(probationEnds, Assert.Single(decision.Reasons, r => r.Rule == "TS-Q5").PassesAt);
        Assert.Equal(binds[0] + TimeSpan.FromDays(180), Assert.Single(decision.Reasons, r => r.Rule == "TS-Q3").PassesAt);
        Assert.Equal(binds[0] + TimeSpan.FromDays(180), decision.AllPassAt);
        Assert.True(Decide(BindingAction.Invite, input, decision.AllPassAt!.Value).IsAllowed);
        Assert.False(Decide(BindingAction.Invite, input, decision.AllPassAt.Value - Tick).IsAllowed);
    }

    [Fact] // TS-Q1: a single time rule gives its own instant
    public void AllPassAt_of_a_single_time_rule_is_its_PassesAt()
    {
        var decision = Decide(BindingAction.RequestUnlink, OnActive(BindingRole.Channel, T0), T0 + Hours(1));

        Assert.Equal(T0 + Hours(24), decision.AllPassAt);
    }

    [Fact] // TS-E2, TS-E3: one rule that waiting cannot fix means no AllPassAt
    public void AllPassAt_is_null_when_any_failing_rule_does_not_pass_by_waiting()
    {
        var input = Invite() with
        {
            Account = new Account("acct-1", AccountOrigin.TikTok, new CountryCode("FR"), new DateOnly(2010, 1, 1), AccountStatus.Normal),
        };

        var decision = Decide(BindingAction.Invite, input, T0);

        Assert.Equal(["TS-E2", "TS-E3"], RulesOf(decision).Order(StringComparer.Ordinal));
        Assert.Null(decision.AllPassAt);
    }

    [Fact]
    public void An_allowed_decision_has_no_reasons_and_no_AllPassAt()
    {
        var decision = Decide(BindingAction.Invite, Invite(), T0);

        Assert.True(decision.IsAllowed);
        Assert.Empty(decision.Reasons);
        Assert.Null(decision.AllPassAt);
        Assert.Same(Decision.Allowed, Decision.Denied([]));
    }

    [Fact]
    public void An_unknown_action_is_an_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Decide((BindingAction)99, Invite(), T0));
    }
}

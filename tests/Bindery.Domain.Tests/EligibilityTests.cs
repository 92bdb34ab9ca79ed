using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>TS-E1..TS-E7: eligibility, checked when the merchant invites and again when the creator accepts.</summary>
public sealed class EligibilityTests
{
    [Theory]
    [InlineData(BindingRole.Official)]
    [InlineData(BindingRole.Channel)]
    public void An_eligible_account_can_be_invited_and_can_accept(BindingRole role)
    {
        Assert.True(Decide(BindingAction.Invite, Invite(role), T0).IsAllowed);
        Assert.True(Decide(BindingAction.Accept, Accept(role, T0), T0 + Hours(1)).IsAllowed);
    }

    [Theory] // TS-E1, TS-E7
    [InlineData(AccountStatus.Restricted, "restricted")]
    [InlineData(AccountStatus.Banned, "banned")]
    [InlineData(AccountStatus.Deleting, "deleting")]
    public void TS_E1_an_account_not_in_normal_status_cannot_be_invited_and_support_cannot_help(AccountStatus status, string wire)
    {
        var input = Invite() with { Account = Account() with { Status = status } };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Equal("TS-E1", reason.Rule);
        Assert.Equal("account_not_normal", reason.Code);
        Assert.False(reason.SupportCanHelp);
        Assert.Null(reason.PassesAt);
        Assert.Equal(wire, reason.Args!["status"]);
    }

    [Fact] // TS-E1: checked again when the creator accepts
    public void TS_E1_an_account_banned_after_the_invitation_cannot_accept()
    {
        var input = Accept(BindingRole.Official, T0) with { Account = Account() with { Status = AccountStatus.Banned } };

        Assert.Equal(["TS-E1"], RulesOf(Decide(BindingAction.Accept, input, T0 + Hours(1))));
    }

    [Fact] // TS-E2: passes on the 18th birthday, from 00:00 UTC
    public void TS_E2_the_holder_is_18_from_midnight_UTC_of_the_birthday()
    {
        var input = Invite() with { Account = Account(new DateOnly(2008, 3, 2)) };
        var birthday = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

        Assert.True(Decide(BindingAction.Invite, input, birthday).IsAllowed);

        var reason = Single(Decide(BindingAction.Invite, input, birthday - Tick));
        Assert.Equal("TS-E2", reason.Rule);
        Assert.Equal("account_under_age", reason.Code);
        Assert.Equal(birthday, reason.PassesAt);
        Assert.True(reason.SupportCanHelp);
        Assert.Equal("18", reason.Args!["minimumAge"]);
    }

    [Fact] // TS-E2: the whole day before the birthday is still under age
    public void TS_E2_the_day_before_the_birthday_is_under_age_with_PassesAt_the_birthday()
    {
        var input = Invite() with { Account = Account(new DateOnly(2008, 3, 2)) };
        var dayBefore = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        var reason = Single(Decide(BindingAction.Invite, input, dayBefore));

        Assert.Equal("TS-E2", reason.Rule);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), reason.PassesAt);
    }

    [Fact] // TS-E2: "on the day of the check" is the UTC calendar day, whatever offset the instant carries
    public void TS_E2_the_day_of_the_check_is_the_UTC_day()
    {
        var input = Invite() with { Account = Account(new DateOnly(2008, 3, 2)) };
        // 07:00 on 2 March in UTC+8 is still 1 March in UTC.
        var morningInBeijing = new DateTimeOffset(2026, 3, 2, 7, 0, 0, TimeSpan.FromHours(8));

        Assert.Equal(["TS-E2"], RulesOf(Decide(BindingAction.Invite, input, morningInBeijing)));
        Assert.True(Decide(BindingAction.Invite, input, morningInBeijing + Hours(1)).IsAllowed);
    }

    [Fact] // TS-E2: a 29 February birthday in a common year counts from 28 February, and PassesAt agrees
    public void TS_E2_a_Feb_29_birthday_turns_18_on_Feb_28_of_a_common_year()
    {
        var input = Invite() with { Account = Account(new DateOnly(2008, 2, 29)) };
        var feb28 = new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero);

        var reason = Single(Decide(BindingAction.Invite, input, feb28 - Tick));
        Assert.Equal("TS-E2", reason.Rule);
        Assert.Equal(feb28, reason.PassesAt);

        Assert.True(Decide(BindingAction.Invite, input, feb28).IsAllowed);
        Assert.True(Decide(BindingAction.Invite, input, reason.PassesAt!.Value).IsAllowed);
    }

    [Fact] // TS-E2: checked again when the creator accepts
    public void TS_E2_an_under_age_holder_cannot_accept()
    {
        var input = Accept(BindingRole.Official, T0) with { Account = Account(new DateOnly(2010, 1, 1)) };

        var reason = Single(Decide(BindingAction.Accept, input, T0 + Hours(1)));

        Assert.Equal("TS-E2", reason.Rule);
        Assert.Equal(new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.Zero), reason.PassesAt);
    }

    [Fact] // TS-E3
    public void TS_E3_an_account_registered_in_another_country_than_the_shop_is_refused()
    {
        var input = Invite() with { Account = Account() with { RegistrationCountry = new CountryCode("FR") } };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Equal("TS-E3", reason.Rule);
        Assert.Equal("account_country_mismatch", reason.Code);
        Assert.Equal("FR", reason.Args!["accountCountry"]);
        Assert.Equal("GB", reason.Args["shopCountry"]);
        Assert.Null(reason.PassesAt);
    }

    [Theory] // TS-E7: support can correct a registration country, except a US one
    [InlineData("FR", true)]
    [InlineData("DE", true)]
    [InlineData("MY", true)]
    [InlineData("US", false)]
    public void TS_E7_support_can_help_with_a_country_mismatch_unless_the_account_is_US_registered(string country, bool supportCanHelp)
    {
        var input = Invite() with { Account = Account() with { RegistrationCountry = new CountryCode(country) } };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Equal("TS-E3", reason.Rule);
        Assert.Equal(supportCanHelp, reason.SupportCanHelp);
    }

    [Fact] // TS-E7: a US shop inviting a US account has no mismatch at all
    public void TS_E7_a_US_account_is_fine_for_a_US_shop()
    {
        var us = new CountryCode("US");
        var input = Invite() with
        {
            Shop = Shop() with { Country = us },
            Account = Account() with { RegistrationCountry = us },
            CallerCountry = "US",
        };

        Assert.True(Decide(BindingAction.Invite, input, T0).IsAllowed);
    }

    [Fact] // TS-E7: the refusal names every failing rule of TS-E1..E3 and, per rule, whether support can help
    public void TS_E7_the_invitation_refusal_says_which_rules_failed_and_whether_support_can_help()
    {
        var input = Invite() with
        {
            Account = new Account("acct-1", AccountOrigin.TikTok, new CountryCode("US"), new DateOnly(2010, 1, 1), AccountStatus.Restricted),
        };

        var decision = Decide(BindingAction.Invite, input, T0);

        Assert.False(decision.IsAllowed);
        var byRule = decision.Reasons.ToDictionary(r => r.Rule, r => r.SupportCanHelp, StringComparer.Ordinal);
        Assert.Equal(3, byRule.Count);
        Assert.False(byRule["TS-E1"]);
        Assert.True(byRule["TS-E2"]);
        Assert.False(byRule["TS-E3"]);
    }

    [Fact] // TS-E3: checked again when the creator accepts
    public void TS_E3_country_mismatch_is_checked_again_on_accept()
    {
        var input = Accept(BindingRole.Official, T0) with { Account = Account() with { RegistrationCountry = new CountryCode("FR") } };

        Assert.Equal(["TS-E3"], RulesOf(Decide(BindingAction.Accept, input, T0 + Hours(1))));
    }

    [Theory] // TS-E4
    [InlineData(BindingAction.Invite)]
    [InlineData(BindingAction.Accept)]
    [InlineData(BindingAction.RequestUnlink)]
    public void TS_E4_an_unknown_caller_country_is_refused_on_the_actions_the_policy_names(BindingAction action)
    {
        var input = InputFor(action) with { CallerCountry = null };

        var reason = Single(Decide(action, input, T0 + Days(2)));

        Assert.Equal("TS-E4", reason.Rule);
        Assert.Equal("caller_country_unknown", reason.Code);
        Assert.Equal("GB", reason.Args!["shopCountry"]);
    }

    [Theory] // TS-E4
    [InlineData(BindingAction.Invite)]
    [InlineData(BindingAction.Accept)]
    [InlineData(BindingAction.RequestUnlink)]
    public void TS_E4_a_caller_in_another_country_than_the_shop_is_refused(BindingAction action)
    {
        var input = InputFor(action) with { CallerCountry = "FR" };

        var reason = Single(Decide(action, input, T0 + Days(2)));

        Assert.Equal("TS-E4", reason.Rule);
        Assert.Equal("caller_country_mismatch", reason.Code);
        Assert.Equal("FR", reason.Args!["callerCountry"]);
        Assert.Equal("GB", reason.Args["shopCountry"]);
    }

    [Theory] // TS-E4: actions the policy does not name are not checked
    [InlineData(BindingAction.Decline)]
    [InlineData(BindingAction.Cancel)]
    public void TS_E4_answering_an_invitation_is_not_checked_for_the_caller_country(BindingAction action)
    {
        var input = Accept(BindingRole.Official, T0) with { CallerCountry = null };

        Assert.True(Decide(action, input, T0 + Hours(1)).IsAllowed);
    }

    [Theory] // TS-E5
    [InlineData(ShopStatus.Restricted, "restricted")]
    [InlineData(ShopStatus.Closing, "closing")]
    [InlineData(ShopStatus.Closed, "closed")]
    public void TS_E5_a_shop_not_in_normal_status_cannot_invite(ShopStatus status, string wire)
    {
        var input = Invite() with { Shop = Shop() with { Status = status } };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Equal("TS-E5", reason.Rule);
        Assert.Equal("shop_not_normal", reason.Code);
        Assert.Equal(wire, reason.Args!["status"]);
    }

    [Fact] // TS-E5
    public void TS_E5_a_shop_without_ecommerce_permission_cannot_invite()
    {
        var input = Invite() with { Shop = Shop() with { EcommercePermission = false } };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Equal("TS-E5", reason.Rule);
        Assert.Equal("shop_ecommerce_revoked", reason.Code);
    }

    [Fact] // TS-E5: both shop problems are reported
    public void TS_E5_a_closed_shop_without_permission_gets_both_reasons()
    {
        var input = Invite() with { Shop = Shop() with { Status = ShopStatus.Closed, EcommercePermission = false } };

        var decision = Decide(BindingAction.Invite, input, T0);

        Assert.Equal(["shop_not_normal", "shop_ecommerce_revoked"], decision.Reasons.Select(r => r.Code));
        Assert.All(decision.Reasons, r => Assert.Equal("TS-E5", r.Rule));
    }

    [Theory] // TS-E6, TS-B3: an account held elsewhere (bound, invited or being unlinked) cannot be invited
    [InlineData(BindingState.Active, "active")]
    [InlineData(BindingState.Invited, "invited")]
    [InlineData(BindingState.UnlinkRequested, "unlink_requested")]
    public void TS_E6_an_account_bound_or_invited_by_another_shop_cannot_be_invited(BindingState state, string wire)
    {
        var input = Invite() with { AccountHeldBy = new AccountHold("bind-9", "shop-9", state) };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Equal("TS-B3", reason.Rule);
        Assert.Equal("account_already_bound", reason.Code);
        Assert.Equal("shop-9", reason.Args!["shopId"]);
        Assert.Equal(wire, reason.Args["state"]);
    }

    [Fact] // TS-E6: checked again when the creator accepts (the account got bound elsewhere meanwhile)
    public void TS_E6_an_account_bound_elsewhere_meanwhile_cannot_accept()
    {
        var input = Accept(BindingRole.Channel, T0) with { AccountHeldBy = new AccountHold("bind-9", "shop-9", BindingState.Active) };

        Assert.Equal(["TS-B3"], RulesOf(Decide(BindingAction.Accept, input, T0 + Hours(1))));
    }

    [Fact] // origin switch (DY-B4) is off in the TikTok preset, on when a policy lists origins
    public void Allowed_origins_are_only_checked_when_the_policy_lists_them()
    {
        var input = Invite() with { Account = Account() with { Origin = AccountOrigin.Toutiao } };
        Assert.True(Decide(BindingAction.Invite, input, T0).IsAllowed);

        var douyinOnly = Preset with { AllowedOrigins = new HashSet<AccountOrigin> { AccountOrigin.Douyin } };
        var reason = Single(Rules.Decide(BindingAction.Invite, input, douyinOnly, T0));
        Assert.Equal("DY-B4", reason.Rule);
        Assert.Equal("origin_not_allowed", reason.Code);
        Assert.False(reason.SupportCanHelp);
    }

    private static DecisionInput InputFor(BindingAction action) => action switch
    {
        BindingAction.Invite => Invite(),
        // The invitation was sent 2 days minus an hour before "now" (T0 + 2 d), so it is still open.
        BindingAction.Accept => Accept(BindingRole.Official, T0 + Hours(1)),
        BindingAction.RequestUnlink => OnActive(BindingRole.Official, T0),
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };
}

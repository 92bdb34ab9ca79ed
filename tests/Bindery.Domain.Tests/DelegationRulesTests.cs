using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>Main and sub accounts (DY-D1, DY-D4), decided by <see cref="DelegationRules"/>: pure, no mocks.</summary>
public sealed class DelegationRulesTests
{
    private static Account Certified(string id, DateTimeOffset? until = null) =>
        new(id, AccountOrigin.Douyin, new CountryCode("CN"), new DateOnly(1990, 1, 1), AccountStatus.Normal)
        {
            Type = AccountType.VerifiedEnterprise,
            CertifiedUntil = until,
        };

    private static string[] CodesOf(Decision d) => d.Reasons.Select(r => r.Code).ToArray();

    [Fact] // DY-D1
    public void DY_D1_two_certified_enterprise_accounts_in_normal_status_may_take_part()
    {
        Assert.True(DelegationRules.CheckParties(Certified("boss", T0 + Days(365)), Certified("staff"), T0).IsAllowed);
    }

    [Fact] // DY-D1: personal and ordinary enterprise accounts are not certified
    public void DY_D1_an_uncertified_party_is_refused_and_named()
    {
        foreach (var type in new[] { AccountType.Personal, AccountType.Enterprise })
        {
            var d = DelegationRules.CheckParties(Certified("boss"), Certified("staff") with { Type = type }, T0);

            var reason = Single(d);
            Assert.Equal(("DY-D1", "delegation_party_not_enterprise"), (reason.Rule, reason.Code));
            Assert.Equal("sub", reason.Args!["side"]);
            Assert.Contains("staff", reason.Message(Language.En), StringComparison.Ordinal);
            Assert.Equal("子账号 staff 不是认证企业号，授权双方均须为认证企业号。", reason.Message(Language.ZhCn));
        }
    }

    [Fact] // DY-D1: a certification holds until its end instant, exclusive; renewing it is an action, so no PassesAt
    public void DY_D1_a_certification_lapses_at_exactly_its_end()
    {
        var until = T0 + Days(10);
        var main = Certified("boss", until);

        Assert.True(DelegationRules.CheckParties(main, Certified("staff"), until - Tick).IsAllowed);

        var reason = Single(DelegationRules.CheckParties(main, Certified("staff"), until));
        Assert.Equal(("DY-D1", "delegation_party_certification_expired", "main"), (reason.Rule, reason.Code, reason.Args!["side"]));
        Assert.Null(reason.PassesAt);
        Assert.Equal("The main account boss's enterprise certification expired at 2026-03-12 08:00 UTC; it must pass its annual review first.",
            reason.Message(Language.En));
    }

    [Fact] // DY-D1: every failure of both parties is listed, the main's first
    public void DY_D1_every_failing_party_is_listed()
    {
        var d = DelegationRules.CheckParties(
            Certified("boss") with { Status = AccountStatus.Banned },
            Certified("staff") with { Type = AccountType.Personal, Status = AccountStatus.Restricted }, T0);

        Assert.Equal(["delegation_party_not_normal", "delegation_party_not_enterprise", "delegation_party_not_normal"], CodesOf(d));
        Assert.All(d.Reasons, r => Assert.Equal("DY-D1", r.Rule));
        Assert.Null(d.AllPassAt);
        Assert.Equal("主账号 boss 状态为封禁，授权双方均须为正常状态。", d.Reasons[0].Message(Language.ZhCn));
    }

    [Fact] // DY-D4
    public void DY_D4_owner_is_never_delegable()
    {
        foreach (var financeDelegable in new[] { false, true })
        {
            var reason = Single(DelegationRules.CheckPermission(DelegationRules.Owner, financeDelegable));
            Assert.Equal(("DY-D4", "permission_owner_not_delegable"), (reason.Rule, reason.Code));
        }
    }

    [Fact] // DY-D4
    public void DY_D4_finance_is_delegable_only_when_the_operator_allows_it()
    {
        var reason = Single(DelegationRules.CheckPermission(DelegationRules.Finance, financeDelegable: false));
        Assert.Equal(("DY-D4", "permission_finance_not_delegable"), (reason.Rule, reason.Code));

        Assert.True(DelegationRules.CheckPermission(DelegationRules.Finance, financeDelegable: true).IsAllowed);
    }

    [Fact] // DY-D4
    public void DY_D4_other_permissions_are_delegable()
    {
        foreach (var permission in new[] { "bindings.view", "chat", "applications.manage" })
        {
            Assert.True(DelegationRules.CheckPermission(permission, financeDelegable: false).IsAllowed);
        }
    }
}

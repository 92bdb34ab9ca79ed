using System.Text.RegularExpressions;
using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>Every reason code the engine produces has an English and a Chinese text, fully filled in (X-4).</summary>
public sealed partial class MessagesTests
{
    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    /// <summary>Real decisions producing every reason code the engine knows.</summary>
    private static IEnumerable<Reason> ReasonsOfEveryKind()
    {
        var douyinOnly = Preset with { AllowedOrigins = new HashSet<AccountOrigin> { AccountOrigin.Douyin } };
        var everythingWrong = new DecisionInput
        {
            Shop = Shop(MerchantType.Regular) with { Status = ShopStatus.Closing, EcommercePermission = false },
            Account = new Account("acct-1", AccountOrigin.Xigua, new CountryCode("US"), new DateOnly(2012, 1, 1), AccountStatus.Deleting),
            Role = BindingRole.Official,
            Usage = ShopUsage.Empty with { LiveOfficial = 1 },
            AccountHeldBy = new AccountHold("bind-9", "shop-9", BindingState.UnlinkRequested),
            CallerCountry = "FR",
        };
        var decisions = new[]
        {
            Rules.Decide(BindingAction.Invite, everythingWrong, douyinOnly, T0),
            Decide(BindingAction.Invite, Invite() with { CallerCountry = null }, T0),
            Decide(BindingAction.Invite, Invite(BindingRole.Channel) with
            {
                Shop = Shop(MerchantType.Invited, ShopKind.Individual, T0 + Days(10)),
                Usage = ShopUsage.Empty with { ChannelBindsInWindow = Enumerable.Range(0, 10).Select(i => T0 - Days(20 - i)).ToArray() },
            }, T0),
            Decide(BindingAction.Accept, Accept(BindingRole.Official, T0), T0 + Hours(48)),
            Decide(BindingAction.Cancel, Accept(BindingRole.Official, T0) with { Binding = Invitation(BindingRole.Official, T0) with { State = BindingState.Declined } }, T0),
            Decide(BindingAction.RequestUnlink, OnActive(BindingRole.Official, T0) with
            {
                Usage = ShopUsage.Empty with { LiveOfficial = 1, OfficialUnbindsUsed = 3 },
            }, T0 + Hours(1)),
            Decide(BindingAction.RequestUnlink, OnActive(BindingRole.Official, T0) with
            {
                Binding = Active(BindingRole.Official, T0) with { State = BindingState.UnlinkRequested },
            }, T0 + Days(2)),
            Decide(BindingAction.ApproveUnlink, OnUnlink(BindingRole.Official, T0, T0 + Days(1), UnlinkState.AutoApproved), T0 + Days(9)),
            Rules.Decide(BindingAction.Invite, Invite() with { Account = Account() with { Origin = AccountOrigin.Douyin, HasFormalPaymentAccount = true } }, Douyin, T0),
            Rules.Decide(BindingAction.RequestUnlink, OnActive(BindingRole.Official, T0), Douyin, T0 + Days(1)),
            Rules.Decide(BindingAction.RequestUnlink, OnActive(BindingRole.Showcase, T0), Douyin, T0 + Days(1)),
            Rules.Decide(BindingAction.Unbind, OnActive(BindingRole.Official, T0), Preset, T0 + Days(2)),
            // DY-A1..A5: unbind applications.
            UnbindApplications.CheckFiling(Douyin.UnbindApplication!, "bored", null, " ", "call me", []),
            UnbindApplications.CheckFiling(Douyin.UnbindApplication!, "other", null, "Li Lei", "+8613800000000", []),
            UnbindApplications.CheckFiling(Douyin.UnbindApplication!, "trademark", new string('x', 1001), "Li Lei", "+8613800000000", []),
            UnbindApplications.CheckNoOpenApplication("uba_1"),
            UnbindApplications.CheckTransition(ApplicationAction.Edit, ApplicationState.UnderReview),
            UnbindApplications.CheckTransition(ApplicationAction.Withdraw, ApplicationState.UnderReview),
            UnbindApplications.CheckTransition(ApplicationAction.AddEvidence, ApplicationState.Rejected),
            UnbindApplications.CheckTransition(ApplicationAction.StartReview, ApplicationState.Approved),
            UnbindApplications.CheckTransition(ApplicationAction.Approve, ApplicationState.Submitted),
            UnbindApplications.CheckBindingStillActive(BindingState.Ended),
            UnbindApplications.CheckEvidenceKind(Douyin.UnbindApplication!.Evidence, "selfie"),
            UnbindApplications.CheckFileCount(Douyin.UnbindApplication!.Evidence, 10, 1),
            UnbindApplications.CheckEvidenceType(Douyin.UnbindApplication!.Evidence, "virus.png", null),
            UnbindApplications.CheckEvidenceSize(Douyin.UnbindApplication!.Evidence, "scan.pdf", 10L << 20 | 1),
            // X-3 / TS-E7: support tickets and corrections; DY-D4 / DY-D1: customer-service sub accounts.
            SupportTickets.CheckOpen(TicketState.Closed),
            SupportTickets.CheckCorrection(Account() with { Status = AccountStatus.Banned, RegistrationCountry = new CountryCode("US") }, Preset,
                new AccountCorrection(null, null)),
            ChatRouting.CheckAgent(Account() with { Status = AccountStatus.Banned }, Account().Id),
            // DY-D1 / DY-D4: authorizing a sub account.
            DelegationRules.CheckParties(Account() with { Type = AccountType.VerifiedEnterprise, CertifiedUntil = T0 },
                Account() with { Status = AccountStatus.Banned }, T0),
            DelegationRules.CheckPermission(DelegationRules.Owner, financeDelegable: false),
            DelegationRules.CheckPermission(DelegationRules.Finance, financeDelegable: false),
        };
        return decisions.SelectMany(d => d.Reasons).Concat(MainAccountRulesTests.ReasonsOfEveryKind()); // DY-M1..M4
    }

    [Fact] // X-4
    public void The_cases_below_produce_every_code_of_the_catalog()
    {
        // "<code>_elsewhere" variants are the server's wording when the caller may not see the other shop's id.
        Assert.Equal(
            Messages.Codes.Where(c => !c.EndsWith("_elsewhere", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            ReasonsOfEveryKind().Select(r => r.Code).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact] // X-4
    public void Every_code_the_engine_produces_has_a_filled_English_and_Chinese_message()
    {
        foreach (var reason in ReasonsOfEveryKind())
        {
            Assert.True(Messages.Has(reason.Code), reason.Code);
            var en = reason.Message(Language.En);
            var zh = reason.Message(Language.ZhCn);

            Assert.False(string.IsNullOrWhiteSpace(en), reason.Code);
            Assert.False(string.IsNullOrWhiteSpace(zh), reason.Code);
            Assert.NotEqual(reason.Code, en);
            Assert.NotEqual(en, zh);
            Assert.False(WordsPatterns.Placeholder().IsMatch(en), $"{reason.Code}: {en}");
            Assert.False(WordsPatterns.Placeholder().IsMatch(zh), $"{reason.Code}: {zh}");
            Assert.False(Chinese().IsMatch(en), $"{reason.Code}: {en}");
            Assert.True(Chinese().IsMatch(zh), $"{reason.Code}: {zh}");
        }
    }

    [Fact] // TS-I1
    public void The_expiry_message_shows_the_instant_and_the_ttl_in_words()
    {
        var reason = Single(Decide(BindingAction.Accept, Accept(BindingRole.Official, T0), T0 + Hours(48)));

        Assert.Equal("The invitation expired at 2026-03-04 08:00 UTC; invitations must be accepted within 48 hours.", reason.Message(Language.En));
        Assert.Equal("邀请已于 2026-03-04 08:00 UTC 过期，需在 48 小时内确认。", reason.Message(Language.ZhCn));
    }

    [Fact] // TS-Q1
    public void The_unbind_delay_message_says_24_hours()
    {
        var reason = Single(Decide(BindingAction.RequestUnlink, OnActive(BindingRole.Official, T0), T0 + Hours(1)));

        Assert.Equal("A binding can be undone only 24 hours after it became active.", reason.Message(Language.En));
        Assert.Equal("绑定生效满 24 小时后才可解绑。", reason.Message(Language.ZhCn));
    }

    [Fact] // TS-Q3
    public void The_channel_quota_message_says_180_days()
    {
        var input = Invite(BindingRole.Channel) with
        {
            Usage = ShopUsage.Empty with { ChannelBindsInWindow = Enumerable.Range(0, 10).Select(i => T0 - Days(20 - i)).ToArray() },
        };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Equal("The shop has used 10 of 10 channel binds in the last 180 days.", reason.Message(Language.En));
        Assert.Equal("店铺在最近 180 天内已使用 10/10 次渠道号绑定。", reason.Message(Language.ZhCn));
    }

    [Fact] // TS-B2
    public void The_capacity_message_translates_role_and_merchant_type()
    {
        var input = Invite(BindingRole.Channel) with { Usage = ShopUsage.Empty with { LiveChannel = 4 } };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Equal("The shop (invited merchant) can hold at most 4 channel accounts at once; 4 are bound or invited.", reason.Message(Language.En));
        Assert.Equal("定邀商家的店铺最多可绑定 4 个渠道账号，目前已绑定或邀请 4 个。", reason.Message(Language.ZhCn));
    }

    [Fact] // TS-B3
    public void State_names_read_as_words()
    {
        var input = Invite() with { AccountHeldBy = new AccountHold("bind-9", "shop-9", BindingState.UnlinkRequested) };

        var reason = Single(Decide(BindingAction.Invite, input, T0));

        Assert.Contains("already unlink requested with shop shop-9", reason.Message(Language.En), StringComparison.Ordinal);
        Assert.Contains("解绑申请中", reason.Message(Language.ZhCn), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_code_formats_as_itself()
    {
        Assert.False(Messages.Has("no_such_code"));
        Assert.Equal("no_such_code", Messages.Format("no_such_code", null, Language.En));
    }
}

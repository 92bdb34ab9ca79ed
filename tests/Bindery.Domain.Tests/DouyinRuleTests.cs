using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>The Douyin preset run by the same engine: section 5 of the spec (DY-B*, DY-O*, DY-L*).</summary>
public sealed class DouyinRuleTests
{
    private static readonly CountryCode CN = new("CN");

    private static Shop DyShop(ShopStatus status = ShopStatus.Normal) =>
        new("shop-dy", "douyin", CN, MerchantType.Regular, ShopKind.Enterprise, null, status, EcommercePermission: true);

    private static Account DyAccount(AccountOrigin origin = AccountOrigin.Douyin) =>
        new("acct-dy", origin, CN, new DateOnly(1995, 5, 5), AccountStatus.Normal);

    private static DecisionInput Invite(BindingRole role) => new()
    {
        Shop = DyShop(),
        Account = DyAccount(),
        Role = role,
        Usage = ShopUsage.Empty,
    };

    private static DecisionInput OnActive(BindingRole role, DateTimeOffset activatedAt) => Invite(role) with
    {
        Binding = Active(role, activatedAt) with { ShopId = "shop-dy", AccountId = "acct-dy" },
        Usage = role switch
        {
            BindingRole.Official => ShopUsage.Empty with { LiveOfficial = 1 },
            BindingRole.Channel => ShopUsage.Empty with { LiveChannel = 1 },
            _ => ShopUsage.Empty with { LiveShowcase = 1 },
        },
    };

    private static Decision Dy(BindingAction action, DecisionInput input, DateTimeOffset now) => Rules.Decide(action, input, Douyin, now);

    [Fact] // DY-B1
    public void An_account_bound_to_one_shop_cannot_be_invited_by_another()
    {
        var input = Invite(BindingRole.Showcase) with { AccountHeldBy = new AccountHold("b-9", "shop-other", BindingState.Active) };

        var reason = Single(Dy(BindingAction.Invite, input, T0));

        Assert.Equal("DY-B1", reason.Rule);
        Assert.Equal("account_already_bound", reason.Code);
    }

    [Fact] // DY-B2
    public void A_shop_has_at_most_one_official_account()
    {
        var input = Invite(BindingRole.Official) with { Usage = ShopUsage.Empty with { LiveOfficial = 1 } };

        var reason = Single(Dy(BindingAction.Invite, input, T0));

        Assert.Equal("DY-B2", reason.Rule);
        Assert.Equal("capacity_full", reason.Code);
        Assert.Equal(1, Douyin.Capacity(MerchantType.Regular).For(BindingRole.Official));
        Assert.Equal(1, Douyin.Capacity(MerchantType.Invited).For(BindingRole.Official));
    }

    [Fact] // DY-B3
    public void A_showcase_binding_is_undone_by_its_owner_at_once_and_not_by_an_unlink_request()
    {
        var input = OnActive(BindingRole.Showcase, T0);

        Assert.True(Dy(BindingAction.Unbind, input, T0).IsAllowed); // no waiting time: effective at once
        var viaRequest = Single(Dy(BindingAction.RequestUnlink, input, T0 + Days(1)));
        Assert.Equal("DY-B3", viaRequest.Rule);
        Assert.Equal("unbind_by_owner_confirmed", viaRequest.Code);
        Assert.Null(Douyin.Capacity(MerchantType.Regular).For(BindingRole.Showcase)); // no limit on showcase bindings
    }

    [Theory] // DY-B4
    [InlineData(AccountOrigin.Toutiao)]
    [InlineData(AccountOrigin.Xigua)]
    [InlineData(AccountOrigin.Huoshan)]
    public void Only_Douyin_accounts_can_bind(AccountOrigin origin)
    {
        var input = Invite(BindingRole.Official) with { Account = DyAccount(origin) };

        var reason = Single(Dy(BindingAction.Invite, input, T0));

        Assert.Equal("DY-B4", reason.Rule);
        Assert.Equal(Wire.Name(origin), reason.Args!["origin"]);
        Assert.True(Dy(BindingAction.Invite, Invite(BindingRole.Official), T0).IsAllowed);
    }

    [Fact] // DY-B5
    public void An_account_with_a_formal_payment_account_cannot_become_official_but_may_bind_otherwise()
    {
        var paid = DyAccount() with { HasFormalPaymentAccount = true };

        var reason = Single(Dy(BindingAction.Invite, Invite(BindingRole.Official) with { Account = paid }, T0));
        Assert.Equal("DY-B5", reason.Rule);
        Assert.False(reason.SupportCanHelp);
        Assert.True(Dy(BindingAction.Invite, Invite(BindingRole.Showcase) with { Account = paid }, T0).IsAllowed);
        // Checked again when the invitation is accepted.
        var accept = Invite(BindingRole.Official) with
        {
            Account = paid,
            Binding = Invitation(BindingRole.Official, T0),
            Usage = ShopUsage.Empty with { LiveOfficial = 1 },
        };
        Assert.Equal(["DY-B5"], RulesOf(Dy(BindingAction.Accept, accept, T0 + Hours(1))));
    }

    [Fact] // DY-B6
    public void Channel_accounts_have_a_capacity_of_five()
    {
        Assert.True(Dy(BindingAction.Invite, Invite(BindingRole.Channel) with { Usage = ShopUsage.Empty with { LiveChannel = 4 } }, T0).IsAllowed);

        var reason = Single(Dy(BindingAction.Invite, Invite(BindingRole.Channel) with { Usage = ShopUsage.Empty with { LiveChannel = 5 } }, T0));

        Assert.Equal("DY-B6", reason.Rule);
        Assert.Equal("5", reason.Args!["limit"]);
    }

    [Fact] // DY-B6
    public void A_channel_account_serves_180_days_before_it_can_be_unbound()
    {
        var input = OnActive(BindingRole.Channel, T0);

        var early = Single(Dy(BindingAction.RequestUnlink, input, T0 + Days(180) - Tick));
        Assert.Equal("DY-B6", early.Rule);
        Assert.Equal(T0 + Days(180), early.PassesAt);
        Assert.True(Dy(BindingAction.RequestUnlink, input, T0 + Days(180)).IsAllowed);
        Assert.Equal(Days(180), Douyin.MinimumActive(BindingRole.Channel));
    }

    [Fact] // DY-O2
    public void The_official_binding_is_undone_by_neither_side_only_by_an_application()
    {
        var input = OnActive(BindingRole.Official, T0);
        var years = T0 + Days(3650);

        var byRequest = Single(Dy(BindingAction.RequestUnlink, input, years));
        var byOwner = Single(Dy(BindingAction.Unbind, input, years));

        Assert.Equal(("DY-O2", "unbind_by_application"), (byRequest.Rule, byRequest.Code));
        Assert.Equal(("DY-O2", "unbind_by_application"), (byOwner.Rule, byOwner.Code));
        Assert.Null(byRequest.PassesAt); // waiting never helps
        Assert.True(Dy(BindingAction.ApplyUnbind, input, T0).IsAllowed);
        // TikTok's official account takes the unlink-request route instead.
        Assert.Equal("unbind_by_unlink_request", Single(Rules.Decide(BindingAction.ApplyUnbind, Given.OnActive(BindingRole.Official, T0), Preset, T0 + Days(2))).Code);
    }

    [Fact] // DY-O1, DY-O3, DY-O4
    public void The_preset_shares_the_payment_account_upgrades_accounts_and_waives_commission()
    {
        Assert.True(Douyin.Settlement!.OfficialSharesPaymentAccount);
        Assert.Equal(new HashSet<ShopKind> { ShopKind.IndividualBusiness, ShopKind.Enterprise }, Douyin.EnterpriseUpgrade!.ShopKinds);
        Assert.Equal(new HashSet<AccountType> { AccountType.Personal, AccountType.Enterprise }, Douyin.EnterpriseUpgrade.AccountTypes);
        Assert.Null(Preset.Settlement);
    }

    [Fact] // DY-O4
    public void A_bound_account_sells_at_zero_commission_and_an_unbound_one_on_the_product_plan()
    {
        var bound = Selling.Decide(DyShop(), DyAccount(), BindingRole.Official, Douyin);
        var channel = Selling.Decide(DyShop(), DyAccount(), BindingRole.Channel, Douyin);
        var stranger = Selling.Decide(DyShop(), DyAccount(), null, Douyin);

        Assert.True(bound.Decision.IsAllowed);
        Assert.Equal(0m, bound.CommissionRate);
        Assert.Null(channel.CommissionRate);
        Assert.Null(stranger.CommissionRate);
        Assert.True(stranger.Decision.IsAllowed);
        var closed = Selling.Decide(DyShop(ShopStatus.Closed), DyAccount(), BindingRole.Official, Douyin);
        Assert.Equal(["DY-L1"], RulesOf(closed.Decision));
    }

    [Fact] // DY-O4: the answer explains itself in both languages, from the message catalog
    public void DY_O4_the_sale_explanation_names_the_benefit_or_the_product_plan()
    {
        var bound = Selling.Decide(DyShop(), DyAccount(), BindingRole.Official, Douyin);
        var stranger = Selling.Decide(DyShop(), DyAccount(), null, Douyin);

        Assert.Equal(("DY-O4", "sale_zero_commission"), (bound.Rule, bound.Explanation));
        Assert.Equal((null, "sale_own_commission_plan"), (stranger.Rule, stranger.Explanation));
        Assert.Contains("zero commission", Messages.Explain(bound.Explanation, null, Language.En), StringComparison.Ordinal);
        Assert.Contains("0佣金", Messages.Explain(bound.Explanation, null, Language.ZhCn), StringComparison.Ordinal);
    }

    private static Binding Held(string id, BindingRole role, DateTimeOffset activatedAt, DateTimeOffset? endedAt) =>
        Active(role, activatedAt) with { Id = id, ShopId = "shop-dy", AccountId = "acct-dy", EndedAt = endedAt, State = endedAt is null ? BindingState.Active : BindingState.Ended };

    [Fact] // DY-O1: income earned while official settles to the shop; the binding holds on [activatedAt, endedAt)
    public void DY_O1_income_settles_to_the_shop_only_inside_the_official_binding_half_open()
    {
        var start = T0;
        var end = T0 + Days(30);
        Binding[] history = [Held("b-1", BindingRole.Official, start, end), Held("b-2", BindingRole.Showcase, end + Days(1), null)];

        Assert.Null(IncomeAttribution.InForce(history, start - Tick));
        Assert.Equal("b-1", IncomeAttribution.InForce(history, start)?.Id);
        Assert.Equal("b-1", IncomeAttribution.InForce(history, end - Tick)?.Id);
        Assert.Null(IncomeAttribution.InForce(history, end));
        Assert.Equal("b-2", IncomeAttribution.InForce(history, end + Days(2))?.Id);

        var during = IncomeAttribution.Decide(IncomeAttribution.InForce(history, start), Douyin);
        Assert.Equal((IncomeRecipient.Shop, "DY-O1", "b-1", "income_to_shop"), (during.Recipient, during.Rule, during.Binding?.Id, during.Explanation));

        var atEnd = IncomeAttribution.Decide(IncomeAttribution.InForce(history, end), Douyin);
        Assert.Equal((IncomeRecipient.Account, null, null, "income_to_account"), (atEnd.Recipient, atEnd.Rule, atEnd.Binding, atEnd.Explanation));
    }

    [Fact] // DY-O1: only an official binding, and only under a policy that shares the payment account
    public void DY_O1_other_roles_and_policies_settle_to_the_account()
    {
        var showcase = Held("b-2", BindingRole.Showcase, T0, null);
        var official = Held("b-1", BindingRole.Official, T0, null);

        Assert.Equal(IncomeRecipient.Account, IncomeAttribution.Decide(showcase, Douyin).Recipient);
        Assert.Equal(IncomeRecipient.Account, IncomeAttribution.Decide(official, Preset).Recipient); // TikTok Shop: no shared payment account
        Assert.Equal(IncomeRecipient.Account, IncomeAttribution.Decide(official, null).Recipient);
        Assert.Equal(IncomeRecipient.Account, IncomeAttribution.Decide(null, Douyin).Recipient);
        Assert.Equal(IncomeRecipient.Shop, IncomeAttribution.Decide(official, Douyin).Recipient);
    }

    [Fact] // DY-L1, DY-L2
    public void A_closing_shop_binds_nobody_and_the_lifecycle_periods_are_the_published_ones()
    {
        var input = Invite(BindingRole.Showcase) with { Shop = DyShop(ShopStatus.Closing) };

        var reason = Single(Dy(BindingAction.Invite, input, T0));

        Assert.Equal("DY-L1", reason.Rule);
        Assert.Equal(Days(30), Douyin.Closure!.NoticePeriod);
        Assert.Equal(Days(7), Douyin.AccountDeletion!.BindingsEndAfter);
    }

    [Fact] // DY-L2
    public void An_account_being_deleted_cannot_be_bound()
    {
        var input = Invite(BindingRole.Showcase) with { Account = DyAccount() with { Status = AccountStatus.Deleting } };

        Assert.Equal("account_not_normal", Single(Dy(BindingAction.Invite, input, T0)).Code);
    }
}

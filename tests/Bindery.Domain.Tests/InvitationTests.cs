using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>TS-I1..TS-I3: invitations expire after 48 h, can be declined or cancelled, and a pending one is explained.</summary>
public sealed class InvitationTests
{
    [Fact] // TS-I1
    public void TS_I1_the_preset_gives_the_creator_48_hours()
    {
        Assert.Equal(TimeSpan.FromHours(48), Preset.InvitationTtl);
        Assert.Equal(T0 + Hours(48), Invitation(BindingRole.Official, T0).ExpiresAt);
    }

    [Fact] // TS-I1: open until one tick before ExpiresAt
    public void TS_I1_an_invitation_can_be_accepted_one_tick_before_it_expires()
    {
        var input = Accept(BindingRole.Official, T0);

        Assert.True(Decide(BindingAction.Accept, input, input.Binding!.ExpiresAt - Tick).IsAllowed);
    }

    [Fact] // TS-I1: expired at exactly ExpiresAt
    public void TS_I1_an_invitation_is_expired_at_exactly_ExpiresAt()
    {
        var input = Accept(BindingRole.Official, T0);

        var reason = Single(Decide(BindingAction.Accept, input, T0 + Hours(48)));

        Assert.Equal("TS-I1", reason.Rule);
        Assert.Equal("invitation_expired", reason.Code);
        Assert.Null(reason.PassesAt);
        Assert.Equal("2026-03-04 08:00 UTC", reason.Args!["expiresAt"]);
    }

    [Fact] // TS-I1: an invitation the store already marked expired stays expired
    public void TS_I1_an_invitation_in_state_expired_cannot_be_accepted()
    {
        // An expired invitation is no longer live, so the shop's usage no longer counts it.
        var input = Accept(BindingRole.Official, T0) with
        {
            Binding = Invitation(BindingRole.Official, T0) with { State = BindingState.Expired, EndedAt = T0 + Hours(48) },
            Usage = ShopUsage.Empty,
        };

        Assert.Equal(["TS-I1"], RulesOf(Decide(BindingAction.Accept, input, T0 + Hours(50))));
    }

    [Theory] // TS-I1, TS-I2: an expired invitation can be neither declined nor cancelled
    [InlineData(BindingAction.Decline)]
    [InlineData(BindingAction.Cancel)]
    public void TS_I1_an_expired_invitation_cannot_be_declined_or_cancelled(BindingAction action)
    {
        var input = Accept(BindingRole.Official, T0);

        Assert.Equal(["TS-I1"], RulesOf(Decide(action, input, T0 + Hours(48))));
        Assert.True(Decide(action, input, T0 + Hours(48) - Tick).IsAllowed);
    }

    [Theory] // TS-I2
    [InlineData(BindingAction.Decline)]
    [InlineData(BindingAction.Cancel)]
    public void TS_I2_an_unanswered_invitation_can_be_declined_by_the_creator_or_cancelled_by_the_merchant(BindingAction action)
    {
        Assert.True(Decide(action, Accept(BindingRole.Channel, T0), T0 + Hours(1)).IsAllowed);
    }

    [Theory] // TS-I2: only an unanswered invitation can be answered or cancelled
    [InlineData(BindingAction.Accept, BindingState.Declined, "declined")]
    [InlineData(BindingAction.Accept, BindingState.Cancelled, "cancelled")]
    [InlineData(BindingAction.Accept, BindingState.Active, "active")]
    [InlineData(BindingAction.Decline, BindingState.Cancelled, "cancelled")]
    [InlineData(BindingAction.Decline, BindingState.Active, "active")]
    [InlineData(BindingAction.Cancel, BindingState.Declined, "declined")]
    [InlineData(BindingAction.Cancel, BindingState.Ended, "ended")]
    public void TS_I2_an_answered_invitation_can_no_longer_be_answered_or_cancelled(BindingAction action, BindingState state, string wire)
    {
        var input = Accept(BindingRole.Official, T0) with { Binding = Invitation(BindingRole.Official, T0) with { State = state } };

        var reason = Assert.Single(Decide(action, input, T0 + Hours(1)).Reasons, r => r.Rule == "TS-I2");

        Assert.Equal("invitation_not_pending", reason.Code);
        Assert.Equal(wire, reason.Args!["state"]);
    }

    [Fact] // TS-I3: a pending binding is explained: account country (support can fix) and revoked e-commerce permission
    public void TS_I3_accept_explains_a_country_mismatch_support_can_fix_and_a_revoked_ecommerce_permission()
    {
        var input = Accept(BindingRole.Official, T0) with
        {
            Shop = Shop() with { EcommercePermission = false },
            Account = Account() with { RegistrationCountry = new CountryCode("FR") },
        };

        var decision = Decide(BindingAction.Accept, input, T0 + Hours(1));

        Assert.Equal(2, decision.Reasons.Count);
        var country = Assert.Single(decision.Reasons, r => r.Rule == "TS-E3");
        Assert.Equal("account_country_mismatch", country.Code);
        Assert.True(country.SupportCanHelp);
        var permission = Assert.Single(decision.Reasons, r => r.Rule == "TS-E5");
        Assert.Equal("shop_ecommerce_revoked", permission.Code);
        Assert.Contains("revoked", permission.Message(Language.En), StringComparison.Ordinal);
        Assert.Contains("FR", country.Message(Language.En), StringComparison.Ordinal);
    }

    [Fact] // TS-I3: an account registered in the US cannot be corrected by support
    public void TS_I3_a_US_registered_account_stays_pending_and_support_cannot_help()
    {
        var input = Accept(BindingRole.Official, T0) with { Account = Account() with { RegistrationCountry = new CountryCode("US") } };

        var reason = Single(Decide(BindingAction.Accept, input, T0 + Hours(1)));

        Assert.Equal("TS-E3", reason.Rule);
        Assert.False(reason.SupportCanHelp);
    }

    [Theory]
    [InlineData(BindingAction.Accept)]
    [InlineData(BindingAction.Decline)]
    [InlineData(BindingAction.Cancel)]
    public void Answering_needs_the_invitation(BindingAction action)
    {
        Assert.Throws<ArgumentException>(() => Decide(action, Invite(), T0));
    }
}

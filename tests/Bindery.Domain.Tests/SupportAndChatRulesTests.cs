using System.Text.Json.Nodes;
using static Bindery.Domain.Tests.Given;

namespace Bindery.Domain.Tests;

/// <summary>Support tickets (X-3, TS-E7, Z-1) and customer-chat routing (DY-D5, DY-D4, DY-D1) as pure rules.</summary>
public sealed class SupportAndChatRulesTests
{
    private static readonly SupportPolicy Support = Preset.Support!;

    [Fact] // X-3, Z-1
    public void Both_presets_give_support_response_targets_and_a_broken_target_names_its_field()
    {
        Assert.Equal(TimeSpan.FromHours(24), Support.ResponseTarget);
        Assert.Equal(TimeSpan.FromDays(5), Support.MerchantReplyTarget);
        Assert.NotNull(Douyin.Support);

        var json = JsonNode.Parse(PresetText, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        json["support"]!["responseTarget"] = "one day";
        var e = Assert.Throws<PolicyException>(() => PolicyParser.Parse(json.ToJsonString(), "broken.json"));
        Assert.Contains(e.Errors, x => x.StartsWith("support.responseTarget: must be an exact ISO 8601 duration", StringComparison.Ordinal));

        json.Remove("support");
        Assert.Null(PolicyParser.Parse(json.ToJsonString(), "no-support.json").Support);
    }

    [Fact] // Z-1, X-3
    public void A_ticket_waits_on_support_then_on_the_merchant_with_the_policy_targets()
    {
        Assert.Equal("staff", SupportTickets.WaitingParty(TicketState.Open));
        Assert.Equal(T0 + Hours(24), SupportTickets.DueAt(TicketState.Open, T0, Support));
        Assert.Equal(TicketState.WaitingForMerchant, SupportTickets.AfterReply(bySupport: true));
        Assert.Equal("shop", SupportTickets.WaitingParty(TicketState.WaitingForMerchant));
        Assert.Equal(T0 + Days(5), SupportTickets.DueAt(TicketState.WaitingForMerchant, T0, Support));
        Assert.Equal(TicketState.WaitingForSupport, SupportTickets.AfterReply(bySupport: false));
        Assert.Null(SupportTickets.WaitingParty(TicketState.Closed));
        Assert.Null(SupportTickets.DueAt(TicketState.Closed, T0, Support));
        Assert.Equal(["ticket_closed"], SupportTickets.CheckOpen(TicketState.Closed).Reasons.Select(r => r.Code));
        Assert.True(SupportTickets.CheckOpen(TicketState.WaitingForSupport).IsAllowed);
    }

    [Fact] // TS-E7
    public void Support_may_correct_the_country_or_birth_date_of_a_normal_account_registered_outside_the_US()
    {
        var fr = Account() with { RegistrationCountry = new CountryCode("FR") };
        Assert.True(SupportTickets.CheckCorrection(fr, Preset, new AccountCorrection(GB, null)).IsAllowed);
        Assert.True(SupportTickets.CheckCorrection(Account(), Preset, new AccountCorrection(null, new DateOnly(1980, 1, 1))).IsAllowed);
    }

    [Theory] // TS-E7, TS-E1
    [InlineData(AccountStatus.Banned)]
    [InlineData(AccountStatus.Restricted)]
    [InlineData(AccountStatus.Deleting)]
    public void Support_cannot_correct_an_account_in_abnormal_status(AccountStatus status)
    {
        var d = SupportTickets.CheckCorrection(Account() with { Status = status, RegistrationCountry = new CountryCode("FR") }, Preset,
            new AccountCorrection(GB, null));
        var r = Assert.Single(d.Reasons);
        Assert.Equal(("TS-E7", "support_cannot_fix_status", false), (r.Rule, r.Code, r.SupportCanHelp!.Value));
    }

    [Fact] // TS-E7
    public void Support_cannot_correct_a_US_registered_account_and_every_reason_is_listed()
    {
        var us = Account() with { RegistrationCountry = new CountryCode("US"), Status = AccountStatus.Banned };
        var d = SupportTickets.CheckCorrection(us, Preset, new AccountCorrection(GB, null));
        Assert.Equal(["support_cannot_fix_status", "support_cannot_fix_country"], d.Reasons.Select(r => r.Code));
        Assert.All(d.Reasons, r => Assert.Equal("TS-E7", r.Rule));
        // Douyin lists no such country: only the status counts there.
        Assert.True(SupportTickets.CheckCorrection(us with { Status = AccountStatus.Normal }, Douyin, new AccountCorrection(GB, null)).IsAllowed);
    }

    [Fact] // TS-E7
    public void A_correction_that_changes_nothing_is_refused()
    {
        Assert.Equal(["correction_changes_nothing"], SupportTickets.CheckCorrection(Account(), Preset, new AccountCorrection(GB, null)).Reasons.Select(r => r.Code));
        Assert.Equal(["correction_changes_nothing"], SupportTickets.CheckCorrection(Account(), Preset, new AccountCorrection(null, null)).Reasons.Select(r => r.Code));
    }

    [Fact] // TS-E7
    public void Support_can_fix_all_only_when_every_blocking_reason_says_so()
    {
        var fixable = new Reason("TS-E3", "account_country_mismatch", SupportCanHelp: true);
        var status = new Reason("TS-E1", "account_not_normal", SupportCanHelp: false);
        Assert.True(SupportTickets.SupportCanFixAll(Decision.Denied([fixable])));
        Assert.False(SupportTickets.SupportCanFixAll(Decision.Denied([fixable, status])));
        Assert.False(SupportTickets.SupportCanFixAll(Decision.Allowed));
    }

    [Fact] // DY-D5
    public void Routing_picks_the_online_agent_with_the_fewest_open_conversations()
    {
        var pick = ChatRouting.Pick([
            new AgentLoad("a", AgentStatus.Online, 3, null, T0),
            new AgentLoad("b", AgentStatus.Online, 1, null, T0 + Hours(1)),
            new AgentLoad("c", AgentStatus.Busy, 0, null, null),
            new AgentLoad("d", AgentStatus.Offline, 0, null, null),
        ]);
        Assert.Equal("b", pick!.Id);
    }

    [Fact] // DY-D5
    public void Ties_go_to_the_agent_assigned_longest_ago_then_to_the_smallest_id()
    {
        Assert.Equal("z", ChatRouting.Pick([
            new AgentLoad("a", AgentStatus.Online, 1, null, T0 + Hours(2)),
            new AgentLoad("z", AgentStatus.Online, 1, null, T0 + Hours(1)),
        ])!.Id);
        Assert.Equal("m", ChatRouting.Pick([
            new AgentLoad("a", AgentStatus.Online, 1, null, T0),
            new AgentLoad("m", AgentStatus.Online, 1, null, null),
        ])!.Id);
        Assert.Equal("a", ChatRouting.Pick([
            new AgentLoad("b", AgentStatus.Online, 0, null, T0),
            new AgentLoad("a", AgentStatus.Online, 0, null, T0),
        ])!.Id);
    }

    [Fact] // DY-D5
    public void Nobody_online_or_everyone_at_capacity_means_the_conversation_is_queued()
    {
        Assert.Null(ChatRouting.Pick([new AgentLoad("a", AgentStatus.Busy, 0, null, null), new AgentLoad("b", AgentStatus.Offline, 0, null, null)]));
        Assert.Null(ChatRouting.Pick([new AgentLoad("a", AgentStatus.Online, 2, 2, null)]));
        Assert.Null(ChatRouting.Pick([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentLoad("a", AgentStatus.Online, 0, 0, null));
    }

    [Fact] // DY-D5
    public void A_batch_is_dealt_in_turns_even_when_the_clock_does_not_move()
    {
        var agents = new[] { "a", "b", "c" }.Select(id => new AgentLoad(id, AgentStatus.Online, 0, null, null));
        var (assignments, loads) = ChatRouting.Distribute(Enumerable.Range(0, 7).Select(i => $"c{i}"), agents, T0);
        Assert.Equal(["a", "b", "c", "a", "b", "c", "a"], assignments.Select(x => x.Agent));
        Assert.Equal([3, 2, 2], loads.Select(l => l.Open));
        // A second batch at the same instant continues the turn: b and c were served longer ago than a.
        var (next, _) = ChatRouting.Distribute(["c7", "c8"], loads, T0);
        Assert.Equal(["b", "c"], next.Select(x => x.Agent));
    }

    [Fact] // DY-D5
    public void Capacity_stops_an_agent_and_the_rest_stays_queued()
    {
        var (assignments, _) = ChatRouting.Distribute(["c1", "c2", "c3"], [new AgentLoad("a", AgentStatus.Online, 0, 2, null)], T0);
        Assert.Equal(["a", "a", null], assignments.Select(x => x.Agent));
    }

    [Fact] // DY-D4, DY-D1
    public void Only_a_normal_enterprise_account_that_is_not_the_main_account_serves_customers()
    {
        var enterprise = Account() with { Type = AccountType.Enterprise };
        Assert.True(ChatRouting.CheckAgent(enterprise, "acc-boss").IsAllowed);
        Assert.True(ChatRouting.CheckAgent(enterprise with { Type = AccountType.VerifiedEnterprise }, null).IsAllowed);
        Assert.Equal(["agent_not_enterprise"], ChatRouting.CheckAgent(Account(), "acc-boss").Reasons.Select(r => r.Code));
        Assert.Equal(["agent_not_normal"], ChatRouting.CheckAgent(enterprise with { Status = AccountStatus.Banned }, null).Reasons.Select(r => r.Code));
        var main = ChatRouting.CheckAgent(enterprise, enterprise.Id);
        Assert.Equal(("DY-D4", "agent_is_main_account"), (main.Reasons[0].Rule, main.Reasons[0].Code));
        Assert.True(ChatRouting.IsGroup("pre-sales_1"));
        Assert.False(ChatRouting.IsGroup("Pre Sales"));
        Assert.False(ChatRouting.IsGroup(""));
    }
}

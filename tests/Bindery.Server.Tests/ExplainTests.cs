using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bindery.Server.Tests;

/// <summary>X-4: a dry-run check answers with every failing rule, its messages in en and zh-CN and when time rules pass.</summary>
public sealed class ExplainTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static bool HasChinese(string s) => s.Any(c => c is >= '\u4e00' and <= '\u9fff');

    [Fact] // X-4, TS-E2, TS-E3, TS-E4, TS-E7
    public async Task A_check_lists_every_failing_rule_at_once_with_both_languages_and_when_the_age_rule_passes()
    {
        var world = new World(factory);
        await world.Shop("gb1");
        await world.AccountOnly("young-fr", country: "FR", birthDate: "2010-06-15");
        var fromGermany = world.MerchantOf("gb1", country: "DE");
        var eventsBefore = await Kit.EventCount(world.Admin);

        var check = await Kit.Expect(await fromGermany.PostAsJsonAsync("/api/v1/checks",
            new { action = "invite", shopId = "gb1", accountId = "young-fr", role = "official" }), HttpStatusCode.OK);

        Assert.False(check["allowed"].B());
        Assert.Equal("invite", check["action"].S());
        Assert.Equal(Kit.Iso(BinderyFactory.Start), check["evaluatedAt"].S());
        Assert.Equal(["TS-E2", "TS-E3", "TS-E4"], Kit.RulesOf(check).Order(StringComparer.Ordinal).ToArray());
        foreach (var reason in check["reasons"].A())
        {
            var en = reason!["messages"]!["en"].S();
            var zh = reason["messages"]!["zh-CN"].S();
            Assert.False(string.IsNullOrWhiteSpace(en));
            Assert.True(HasChinese(zh), $"{reason["rule"]}: '{zh}' is not Chinese");
            Assert.False(HasChinese(en), $"{reason["rule"]}: '{en}' is not English");
            Assert.Equal(en, reason["message"].S()); // no Accept-Language: English
            Assert.DoesNotContain("{", en, StringComparison.Ordinal); // every placeholder filled
            Assert.DoesNotContain("{", zh, StringComparison.Ordinal);
        }
        var age = Kit.Reason(check, "TS-E2");
        Assert.Equal("account_under_age", age["code"].S());
        Assert.Equal("2028-06-15T00:00:00Z", age["passesAt"].S()); // the 18th birthday
        Assert.Contains("18", age["message"].S(), StringComparison.Ordinal);
        var country = Kit.Reason(check, "TS-E3");
        Assert.True(country["supportCanHelp"].B()); // TS-E7: a French registration can be corrected by support
        Assert.Contains("FR", country["message"].S(), StringComparison.Ordinal);
        var network = Kit.Reason(check, "TS-E4");
        Assert.Equal("caller_country_mismatch", network["code"].S());
        Assert.Contains("DE", network["message"].S(), StringComparison.Ordinal);
        Assert.Null(Kit.Reason(check, "TS-E4")["passesAt"]);
        // Not every failing rule passes by waiting, so the check as a whole has no passesAt.
        Assert.Null(check["passesAt"]);

        // The real command refuses for the same reasons; neither changed anything.
        var invite = await Kit.Denied(await fromGermany.PostAsJsonAsync("/api/v1/shops/gb1/invitations", new { accountId = "young-fr", role = "official" }));
        Assert.Equal(Kit.RulesOf(check).Order(StringComparer.Ordinal), Kit.RulesOf(invite).Order(StringComparer.Ordinal));
        Assert.Equal(eventsBefore, await Kit.EventCount(world.Admin));
        Assert.Empty(await Kit.Bindings(world.Admin, "gb1"));
    }

    [Fact] // X-4, TS-E2, TS-E3, TS-E4
    public async Task With_accept_language_zh_CN_the_message_is_chinese()
    {
        var world = new World(factory);
        await world.Shop("gb1");
        await world.AccountOnly("young-fr", country: "FR", birthDate: "2010-06-15");
        var zh = world.MerchantOf("gb1", country: "DE", language: "zh-CN");

        var check = await Kit.Expect(await zh.PostAsJsonAsync("/api/v1/checks",
            new { action = "invite", shopId = "gb1", accountId = "young-fr", role = "official" }), HttpStatusCode.OK);
        Assert.Equal(3, check["reasons"].A().Count);
        foreach (var reason in check["reasons"].A())
        {
            Assert.Equal(reason!["messages"]!["zh-CN"].S(), reason["message"].S());
            Assert.True(HasChinese(reason["message"].S()));
        }
        Assert.Contains("周岁", Kit.Reason(check, "TS-E2")["message"].S(), StringComparison.Ordinal);

        // The same in the 409 of the real command.
        var denied = await Kit.Denied(await zh.PostAsJsonAsync("/api/v1/shops/gb1/invitations", new { accountId = "young-fr", role = "official" }));
        Assert.All(denied["reasons"].A(), r => Assert.True(HasChinese(r!["message"].S())));
        Assert.True(HasChinese(denied["detail"].S()));

        // A weighted header picks the preferred language.
        var weighted = world.MerchantOf("gb1", country: "DE", language: "en;q=0.4, zh-CN;q=0.9");
        var check2 = await Kit.Expect(await weighted.PostAsJsonAsync("/api/v1/checks",
            new { action = "invite", shopId = "gb1", accountId = "young-fr", role = "official" }), HttpStatusCode.OK);
        Assert.True(HasChinese(Kit.Reason(check2, "TS-E3")["message"].S()));
    }

    [Fact] // X-4, TS-E2, X-5
    public async Task A_check_failing_only_on_age_says_when_it_will_pass_and_is_right()
    {
        var world = new World(factory);
        var shop = await world.Shop("gb1");
        await world.AccountOnly("nearly", birthDate: "2008-03-03"); // 18 on 2026-03-03, the day after the start
        var body = new { action = "invite", shopId = "gb1", accountId = "nearly", role = "official" };

        var check = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/checks", body), HttpStatusCode.OK);
        Assert.False(check["allowed"].B());
        Assert.Equal(["TS-E2"], Kit.RulesOf(check));
        Assert.Equal("2026-03-03T00:00:00Z", check["passesAt"].S());
        Assert.True(Kit.Reason(check, "TS-E2")["supportCanHelp"].B());

        await world.Advance("PT15H59M59S");
        Assert.False((await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/checks", body), HttpStatusCode.OK))["allowed"].B());

        await world.Advance("PT1S");
        var now = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/checks", body), HttpStatusCode.OK);
        Assert.True(now["allowed"].B());
        Assert.Empty(now["reasons"].A());
        Assert.Null(now["passesAt"]);
        await World.Invite(shop, "gb1", "nearly");
    }

    [Fact] // X-4, TS-Q1, TS-U1, TS-I2
    public async Task Checks_cover_the_other_actions_and_agree_with_the_commands()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var id = await world.Bind(shop, "s1", alice, "alice");

        var accept = await Kit.Expect(await alice.PostAsJsonAsync("/api/v1/checks", new { action = "accept", bindingId = id }), HttpStatusCode.OK);
        Assert.Equal(["TS-I2"], Kit.RulesOf(accept));

        var unlink = await Kit.Expect(await alice.PostAsJsonAsync("/api/v1/checks", new { action = "request_unlink", bindingId = id }), HttpStatusCode.OK);
        Assert.Equal(["TS-Q1"], Kit.RulesOf(unlink));
        Assert.Equal(Kit.At(TimeSpan.FromHours(24)), unlink["passesAt"].S());

        await world.Advance("PT24H");
        var ok = await Kit.Expect(await alice.PostAsJsonAsync("/api/v1/checks", new { action = "request_unlink", bindingId = id }), HttpStatusCode.OK);
        Assert.True(ok["allowed"].B());
        var unlinkId = await World.RequestUnlink(alice, id);

        var approve = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/checks", new { action = "approve_unlink", unlinkRequestId = unlinkId }),
            HttpStatusCode.OK);
        Assert.True(approve["allowed"].B());
        await Kit.Expect(await shop.PostAsync($"/api/v1/unlink-requests/{unlinkId}/reject", null), HttpStatusCode.OK);
        var again = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/checks", new { action = "approve_unlink", unlinkRequestId = unlinkId }),
            HttpStatusCode.OK);
        Assert.Equal(["TS-U1"], Kit.RulesOf(again));
    }
}

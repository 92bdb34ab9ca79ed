using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Features.Invitations;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>The TikTok Shop rules, enforced through HTTP (section 4 of the spec).</summary>
public sealed class RuleTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static Task<HttpResponseMessage> Invite(HttpClient merchant, string shopId, string accountId, string role = "official") =>
        merchant.PostAsJsonAsync($"/api/v1/shops/{shopId}/invitations", new { accountId, role });

    [Fact] // TS-B1
    public async Task A_regular_merchant_binds_one_official_account_and_no_channel_account()
    {
        var world = new World(factory);
        var shop = await world.Shop("reg", merchantType: "regular");
        foreach (var a in new[] { "alice", "bob", "carol" })
        {
            await world.AccountOnly(a);
        }

        var channel = await Kit.Denied(await Invite(shop, "reg", "alice", "channel"));
        Assert.Equal(["TS-B1"], Kit.RulesOf(channel));
        Assert.Equal("capacity_full", Kit.Reason(channel, "TS-B1")["code"].S());
        Assert.Null(channel["passesAt"]); // waiting does not help

        await Kit.Expect(await Invite(shop, "reg", "bob"), HttpStatusCode.Created);
        Assert.Equal(["TS-B1"], Kit.RulesOf(await Kit.Denied(await Invite(shop, "reg", "carol"))));
        var capacity = await Kit.Quota(shop, "reg", "channel_capacity");
        Assert.Equal(0, capacity["limit"].I());
        Assert.Equal("TS-B1", capacity["rule"].S());
        Assert.Single(await Kit.Bindings(shop, "reg"));
    }

    [Fact] // TS-B2
    public async Task An_invited_merchant_binds_one_official_and_four_channel_accounts()
    {
        var world = new World(factory);
        var shop = await world.Shop("inv");
        for (var i = 0; i < 7; i++)
        {
            await world.AccountOnly($"a{i}");
        }
        await Kit.Expect(await Invite(shop, "inv", "a0"), HttpStatusCode.Created);
        Assert.Equal(["TS-B2"], Kit.RulesOf(await Kit.Denied(await Invite(shop, "inv", "a1"))));
        for (var i = 1; i <= 4; i++)
        {
            await Kit.Expect(await Invite(shop, "inv", $"a{i}", "channel"), HttpStatusCode.Created);
        }
        Assert.Equal(["TS-B2"], Kit.RulesOf(await Kit.Denied(await Invite(shop, "inv", "a5", "channel"))));
    }

    [Fact] // TS-Q5
    public async Task An_individual_shop_on_probation_cannot_invite_a_channel_account_until_probation_ends()
    {
        var world = new World(factory);
        var probationEnds = Kit.At(TimeSpan.FromDays(30));
        var shop = await world.Shop("new", kind: "individual", probationEndsAt: probationEnds);
        await world.AccountOnly("alice");

        var refused = await Kit.Denied(await Invite(shop, "new", "alice", "channel"));
        Assert.Equal(["TS-Q5"], Kit.RulesOf(refused));
        Assert.Equal("probation_capacity_full", Kit.Reason(refused, "TS-Q5")["code"].S());
        Assert.Equal(probationEnds, Kit.Reason(refused, "TS-Q5")["passesAt"].S());
        Assert.Equal(probationEnds, refused["passesAt"].S());

        var quotas = await Kit.Get(shop, "/api/v1/shops/new/quotas");
        Assert.True(quotas["onProbation"].B());
        Assert.Equal(probationEnds, quotas["probationEndsAt"].S());
        var channel = quotas["quotas"].A().Single(q => q!["name"].S() == "channel_capacity")!;
        Assert.Equal("TS-Q5", channel["rule"].S());
        Assert.Equal(0, channel["limit"].I());
        Assert.Equal(probationEnds, channel["nextSlotAt"].S());

        await world.Advance("P29DT23H59M59S");
        Assert.Equal(["TS-Q5"], Kit.RulesOf(await Kit.Denied(await Invite(shop, "new", "alice", "channel"))));
        await world.Advance("PT1S");
        await Kit.Expect(await Invite(shop, "new", "alice", "channel"), HttpStatusCode.Created);
        var after = await Kit.Get(shop, "/api/v1/shops/new/quotas");
        Assert.False(after["onProbation"].B());
        Assert.Equal(4, after["quotas"].A().Single(q => q!["name"].S() == "channel_capacity")!["limit"].I());
    }

    [Fact] // TS-Q5
    public async Task A_business_shop_on_probation_holds_one_channel_account()
    {
        var world = new World(factory);
        var shop = await world.Shop("biz", kind: "business", probationEndsAt: Kit.At(TimeSpan.FromDays(30)));
        await world.AccountOnly("alice");
        await world.AccountOnly("bob");

        await Kit.Expect(await Invite(shop, "biz", "alice", "channel"), HttpStatusCode.Created);
        var refused = await Kit.Denied(await Invite(shop, "biz", "bob", "channel"));
        Assert.Equal(["TS-Q5"], Kit.RulesOf(refused));
        Assert.Equal(Kit.At(TimeSpan.FromDays(30)), refused["passesAt"].S());

        // Ending probation early (admin) lifts the limit at once.
        await Kit.Expect(await world.Admin.Send(HttpMethod.Patch, "/api/v1/shops/biz", new { endProbation = true }), HttpStatusCode.OK);
        await Kit.Expect(await Invite(shop, "biz", "bob", "channel"), HttpStatusCode.Created);
    }

    [Theory] // TS-E5, TS-I3
    [InlineData("{\"status\": \"restricted\"}", "shop_not_normal")]
    [InlineData("{\"status\": \"closed\"}", "shop_not_normal")]
    [InlineData("{\"ecommercePermission\": false}", "shop_ecommerce_revoked")]
    public async Task A_shop_that_is_not_normal_or_lost_e_commerce_permission_cannot_invite(string patch, string code)
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        var r = await world.Admin.PatchAsync("/api/v1/shops/s1", new StringContent(patch, System.Text.Encoding.UTF8, "application/json"));
        await Kit.Expect(r, HttpStatusCode.OK);
        var eventsBefore = await Kit.EventCount(world.Admin);

        var refused = await Kit.Denied(await Invite(shop, "s1", "alice"));
        Assert.Equal(["TS-E5"], Kit.RulesOf(refused));
        Assert.Equal(code, Kit.Reason(refused, "TS-E5")["code"].S());
        Assert.Empty(await Kit.Bindings(shop, "s1"));
        Assert.Equal(eventsBefore, await Kit.EventCount(world.Admin));
    }

    [Theory] // TS-E7, TS-E3, TS-E1
    [InlineData("US", "normal", "TS-E3", false)]
    [InlineData("FR", "normal", "TS-E3", true)]
    [InlineData("GB", "banned", "TS-E1", false)]
    [InlineData("GB", "restricted", "TS-E1", false)]
    [InlineData("GB", "deleting", "TS-E1", false)]
    public async Task An_ineligible_account_cannot_be_invited_and_the_refusal_says_whether_support_can_help(
        string country, string status, string rule, bool supportCanHelp)
    {
        var world = new World(factory);
        var shop = await world.Shop("gb");
        await world.AccountOnly("xavier", country: country, status: status);

        var refused = await Kit.Denied(await Invite(shop, "gb", "xavier"));
        Assert.Equal([rule], Kit.RulesOf(refused));
        Assert.Equal(supportCanHelp, Kit.Reason(refused, rule)["supportCanHelp"].B());
        Assert.Empty(await Kit.Bindings(shop, "gb"));
    }

    [Fact] // TS-E4
    public async Task The_merchant_and_the_creator_must_act_from_the_shops_country_and_an_unknown_country_is_refused()
    {
        var world = new World(factory);
        await world.Shop("gb");
        await world.AccountOnly("alice");

        var abroad = await Kit.Denied(await Invite(world.MerchantOf("gb", country: "US"), "gb", "alice"));
        Assert.Equal(["TS-E4"], Kit.RulesOf(abroad));
        Assert.Equal("caller_country_mismatch", Kit.Reason(abroad, "TS-E4")["code"].S());

        var unknown = await Kit.Denied(await Invite(world.MerchantOf("gb", country: ""), "gb", "alice"));
        Assert.Equal(["TS-E4"], Kit.RulesOf(unknown));
        Assert.Equal("caller_country_unknown", Kit.Reason(unknown, "TS-E4")["code"].S());

        // The header is read case-insensitively.
        await World.Invite(world.MerchantOf("gb", country: "gb"), "gb", "alice");

        // The creator confirms and asks to unlink from the shop's country too.
        var creator = await world.Account("bob");
        var bobInvite = await World.Invite(world.MerchantOf("gb"), "gb", "bob", "channel");
        var fromFrance = world.CreatorOf("bob", country: "FR");
        Assert.Equal(["TS-E4"], Kit.RulesOf(await Kit.Denied(await fromFrance.PostAsync($"/api/v1/invitations/{bobInvite}/accept", null))));
        await Kit.Expect(await creator.PostAsync($"/api/v1/invitations/{bobInvite}/accept", null), HttpStatusCode.OK);
        await world.Advance("PT24H");
        var unlink = await Kit.Denied(await fromFrance.PostAsJsonAsync($"/api/v1/bindings/{bobInvite}/unlink-requests", new { reason = "abroad" }));
        Assert.Equal(["TS-E4"], Kit.RulesOf(unlink));
        await World.RequestUnlink(creator, bobInvite);
    }

    [Fact] // TS-E2, TS-E3
    public async Task Eligibility_is_checked_again_when_the_creator_accepts()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var id = await World.Invite(shop, "s1", "alice");
        await Kit.Expect(await world.Admin.Send(HttpMethod.Patch, "/api/v1/accounts/alice", new { birthDate = "2010-01-01" }), HttpStatusCode.OK);

        var refused = await Kit.Denied(await alice.PostAsync($"/api/v1/invitations/{id}/accept", null));
        Assert.Equal(["TS-E2"], Kit.RulesOf(refused));
        Assert.Equal("2028-01-01T00:00:00Z", refused["passesAt"].S());
        // Accepting from abroad is refused too (TS-E4 on accept).
        Assert.Contains("TS-E4", Kit.RulesOf(await Kit.Denied(await world.CreatorOf("alice", country: "FR").PostAsync($"/api/v1/invitations/{id}/accept", null))));
        Assert.Equal("invited", (await Kit.Get(alice, $"/api/v1/invitations/{id}"))["state"].S());
    }

    [Fact] // TS-I2, TS-B3
    public async Task The_creator_may_decline_and_the_merchant_may_cancel_before_an_answer_and_not_after()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var bob = await world.Account("bob");

        var toAlice = await World.Invite(shop, "s1", "alice");
        var declined = await Kit.Expect(await alice.PostAsync($"/api/v1/invitations/{toAlice}/decline", null), HttpStatusCode.OK);
        Assert.Equal("declined", declined["state"].S());
        Assert.Equal("creator:alice", declined["endedBy"].S());
        Assert.Equal("invitation_declined", declined["endReason"].S());
        Assert.Equal(["TS-I2"], Kit.RulesOf(await Kit.Denied(await alice.PostAsync($"/api/v1/invitations/{toAlice}/accept", null))));
        Assert.Equal(["TS-I2"], Kit.RulesOf(await Kit.Denied(await shop.PostAsync($"/api/v1/invitations/{toAlice}/cancel", null))));

        var toBob = await World.Invite(shop, "s1", "bob"); // the declined invitation freed the official slot
        var cancelled = await Kit.Expect(await shop.PostAsync($"/api/v1/invitations/{toBob}/cancel", null), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled["state"].S());
        Assert.Equal("merchant:s1", cancelled["endedBy"].S());
        Assert.Equal(["TS-I2"], Kit.RulesOf(await Kit.Denied(await bob.PostAsync($"/api/v1/invitations/{toBob}/accept", null))));

        Assert.Empty(await Kit.Bindings(shop, "s1", "live"));
        Assert.Equal(2, (await Kit.Bindings(shop, "s1", "declined,cancelled")).Count);
    }

    [Fact] // TS-U1
    public async Task Rejecting_an_unlink_request_keeps_the_binding_active()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var id = await world.Bind(shop, "s1", alice, "alice");
        await world.Advance("PT24H");
        var unlinkId = await World.RequestUnlink(alice, id);
        Assert.Equal("unlink_requested", (await Kit.Get(shop, $"/api/v1/bindings/{id}"))["state"].S());

        var rejected = await Kit.Expect(await shop.PostAsJsonAsync($"/api/v1/unlink-requests/{unlinkId}/reject", new { note = "contract runs to June" }),
            HttpStatusCode.OK);
        Assert.Equal("rejected", rejected["state"].S());
        Assert.Equal("merchant:s1", rejected["decidedBy"].S());
        Assert.Equal("contract runs to June", rejected["note"].S());

        var binding = await Kit.Get(shop, $"/api/v1/bindings/{id}");
        Assert.Equal("active", binding["state"].S());
        Assert.Null(binding["endedAt"]);
        Assert.Null(binding["unlinkRequest"]);
        Assert.Equal("s1", (await Kit.Get(alice, "/api/v1/accounts/alice/binding"))["binding"]!["shopId"].S());
        Assert.Equal(0, (await Kit.Quota(shop, "s1", "official_unbinds"))["used"].I());
        // Nothing auto-approves it later.
        await world.Advance("P8D");
        Assert.Equal("active", (await Kit.Get(shop, $"/api/v1/bindings/{id}"))["state"].S());
        // The creator may ask again.
        await World.RequestUnlink(alice, id);
    }

    [Fact] // TS-U2, TS-U3
    public async Task After_an_approved_unlink_the_account_and_the_shop_are_free_and_the_ended_binding_stays_readable()
    {
        var world = new World(factory);
        var s1 = await world.Shop("s1");
        var s2 = await world.Shop("s2");
        var alice = await world.Account("alice");
        var bob = await world.Account("bob");
        var id = await world.Bind(s1, "s1", alice, "alice");
        await world.Advance("PT24H");

        // While bound (even with an unlink request pending) alice cannot be invited elsewhere.
        var unlinkId = await World.RequestUnlink(alice, id);
        Assert.Equal(["TS-B3"], Kit.RulesOf(await Kit.Denied(await Invite(s2, "s2", "alice"))));
        await Kit.Expect(await s1.PostAsync($"/api/v1/unlink-requests/{unlinkId}/approve", null), HttpStatusCode.OK);

        await world.Bind(s2, "s2", alice, "alice"); // TS-U2: any shop may bind her now
        await world.Bind(s1, "s1", bob, "bob");     // and s1 may bind another official account

        foreach (var reader in new[] { s1, alice, world.Admin })
        {
            var ended = await Kit.Get(reader, $"/api/v1/bindings/{id}");
            Assert.Equal("ended", ended["state"].S());
            Assert.Equal("merchant:s1", ended["endedBy"].S());
            Assert.Equal(Kit.At(TimeSpan.FromHours(24)), ended["endedAt"].S());
            Assert.Equal("unlink_approved", ended["endReason"].S());
            Assert.Equal(Kit.Iso(BinderyFactory.Start), ended["activatedAt"].S());
            Assert.Null(ended["waitingOn"]);
        }
        var endedInList = Assert.Single(await Kit.Bindings(s1, "s1", "ended"));
        Assert.Equal(id, endedInList!["id"].S());
        Assert.Equal(2, (await Kit.Get(alice, "/api/v1/accounts/alice/bindings")).A().Count);
        var unlink = await Kit.Get(alice, $"/api/v1/unlink-requests/{unlinkId}");
        Assert.Equal("approved", unlink["state"].S());
    }

    [Fact] // TS-B4
    public async Task The_binding_view_tells_what_each_role_may_do_with_the_shops_products()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var bob = await world.Account("bob");
        var official = await world.Bind(shop, "s1", alice, "alice");
        var channel = await world.Bind(shop, "s1", bob, "bob", "channel");

        var o = (await Kit.Get(shop, $"/api/v1/bindings/{official}"))["products"]!;
        Assert.True(o["syncAutomatically"].B());
        Assert.True(o["addByHand"].B());
        var c = (await Kit.Get(bob, $"/api/v1/bindings/{channel}"))["products"]!;
        Assert.False(c["syncAutomatically"].B());
        Assert.True(c["addByHand"].B());
    }

    [Fact] // TS-I1
    public async Task Inviting_by_handle_finds_the_account()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice-w");
        var r = await shop.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { handle = "@Alice.W", role = "official" });
        var body = await Kit.Expect(r, HttpStatusCode.Created);
        Assert.Equal("alice-w", body["accountId"].S());
        Assert.Equal($"/api/v1/invitations/{body["id"].S()}", r.Headers.Location?.OriginalString);
        Assert.Equal(Kit.At(TimeSpan.FromHours(48)), body["expiresAt"].S());
        Assert.Equal("merchant:s1", body["invitedBy"].S());
    }
}

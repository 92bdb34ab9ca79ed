using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>Z-1: every pending thing says who must act and by when; TS-I3: a pending invitation says why it still waits.</summary>
public sealed class PendingTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact] // Z-1, TS-I1, TS-U4
    public async Task Inboxes_list_pending_invitations_and_unlink_requests_with_who_must_act_and_by_when()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var bob = await world.Account("bob");
        var aliceBinding = await world.Bind(shop, "s1", alice, "alice");
        await world.Advance("PT24H");
        var unlinkId = await World.RequestUnlink(alice, aliceBinding);
        var invitation = await World.Invite(shop, "s1", "bob", "channel");
        var expiresAt = Kit.At(TimeSpan.FromHours(24 + 48));
        var autoApproveAt = Kit.At(TimeSpan.FromHours(24) + TimeSpan.FromDays(7));

        var bobInbox = await Kit.Get(bob, "/api/v1/accounts/bob/inbox");
        Assert.Equal("account:bob", bobInbox["owner"].S());
        Assert.Equal(Kit.At(TimeSpan.FromHours(24)), bobInbox["asOf"].S());
        var invited = Assert.Single(bobInbox["items"].A())!;
        Assert.Equal("invitation", invited["kind"].S());
        Assert.Equal(invitation, invited["id"].S());
        Assert.Equal("s1", invited["shopId"].S());
        Assert.Equal("channel", invited["role"].S());
        Assert.Equal("account", invited["waitingOn"]!["party"].S());
        Assert.Equal("bob", invited["waitingOn"]!["id"].S());
        Assert.Equal(expiresAt, invited["waitingOn"]!["dueAt"].S());
        Assert.Equal("expire", invited["waitingOn"]!["onTimeout"].S());
        Assert.Equal(expiresAt, (await Kit.Get(bob, $"/api/v1/invitations/{invitation}"))["expiresAt"].S());
        Assert.Empty(invited["pendingBecause"].A()); // nothing stands in the way: it only waits for bob

        var aliceInbox = await Kit.Get(alice, "/api/v1/accounts/alice/inbox");
        var asked = Assert.Single(aliceInbox["items"].A())!;
        Assert.Equal("unlink_request", asked["kind"].S());
        Assert.Equal(unlinkId, asked["id"].S());
        Assert.Equal(aliceBinding, asked["bindingId"].S());
        Assert.Equal("shop", asked["waitingOn"]!["party"].S());
        Assert.Equal(autoApproveAt, asked["waitingOn"]!["dueAt"].S());

        // The shop's inbox has both, soonest first: the invitation expires before the request is auto-approved.
        var shopInbox = await Kit.Get(shop, "/api/v1/shops/s1/inbox");
        Assert.Equal("shop:s1", shopInbox["owner"].S());
        var items = shopInbox["items"].A();
        Assert.Equal(["invitation", "unlink_request"], items.Select(i => i!["kind"].S()).ToArray());
        Assert.Equal([expiresAt, autoApproveAt], items.Select(i => i!["waitingOn"]!["dueAt"].S()).ToArray());
        Assert.Equal("shop", items[1]!["waitingOn"]!["party"].S());
        Assert.Equal("s1", items[1]!["waitingOn"]!["id"].S());
        Assert.Equal("auto_approve", items[1]!["waitingOn"]!["onTimeout"].S());

        // The binding view says the same.
        var binding = await Kit.Get(shop, $"/api/v1/bindings/{aliceBinding}");
        Assert.Equal(autoApproveAt, binding["waitingOn"]!["dueAt"].S());
        Assert.Equal(unlinkId, binding["unlinkRequest"]!["id"].S());

        // Once acted on, nothing waits any more.
        await Kit.Expect(await bob.PostAsync($"/api/v1/invitations/{invitation}/decline", null), HttpStatusCode.OK);
        await Kit.Expect(await shop.PostAsync($"/api/v1/unlink-requests/{unlinkId}/reject", null), HttpStatusCode.OK);
        Assert.Empty((await Kit.Get(shop, "/api/v1/shops/s1/inbox"))["items"].A());
        Assert.Empty((await Kit.Get(bob, "/api/v1/accounts/bob/inbox"))["items"].A());
        Assert.Empty((await Kit.Get(alice, "/api/v1/accounts/alice/inbox"))["items"].A());
    }

    [Fact] // Z-1, TS-I1
    public async Task Items_leave_the_inbox_when_their_deadline_passes()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var bob = await world.Account("bob");
        await World.Invite(shop, "s1", "bob");
        Assert.Single((await Kit.Get(bob, "/api/v1/accounts/bob/inbox"))["items"].A());

        await world.Advance("PT48H");
        Assert.Empty((await Kit.Get(bob, "/api/v1/accounts/bob/inbox"))["items"].A());
        Assert.Empty((await Kit.Get(shop, "/api/v1/shops/s1/inbox"))["items"].A());
    }

    [Fact] // TS-I3, TS-E3, TS-E5, TS-E7, X-1
    public async Task A_pending_invitation_explains_why_it_waits_after_the_accounts_country_was_changed()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var id = await World.Invite(shop, "s1", "alice");
        Assert.Empty((await Kit.Get(shop, $"/api/v1/invitations/{id}"))["pendingBecause"].A());

        var patched = await Kit.Expect(await world.Admin.Send(HttpMethod.Patch, "/api/v1/accounts/alice", new { registrationCountry = "FR" }), HttpStatusCode.OK);
        Assert.Equal("FR", patched["registrationCountry"].S());

        var invitation = await Kit.Get(shop, $"/api/v1/invitations/{id}");
        Assert.Equal("invited", invitation["state"].S());
        var because = invitation["pendingBecause"].A();
        var reason = Assert.Single(because)!;
        Assert.Equal("TS-E3", reason["rule"].S());
        Assert.Equal("account_country_mismatch", reason["code"].S());
        Assert.True(reason["supportCanHelp"].B());
        Assert.Contains("FR", reason["messages"]!["en"].S(), StringComparison.Ordinal);
        Assert.Contains("GB", reason["messages"]!["en"].S(), StringComparison.Ordinal);

        // The account's inbox carries the same explanation, and accepting is refused for that reason (re-checked at accept).
        var item = Assert.Single((await Kit.Get(alice, "/api/v1/accounts/alice/inbox"))["items"].A())!;
        Assert.Equal(["TS-E3"], item["pendingBecause"].A().Select(r => r!["rule"].S()).ToArray());
        Assert.Equal(["TS-E3"], Kit.RulesOf(await Kit.Denied(await alice.PostAsync($"/api/v1/invitations/{id}/accept", null))));

        // Revoking the shop's e-commerce permission is the other explanation TS-I3 names.
        await Kit.Expect(await world.Admin.Send(HttpMethod.Patch, "/api/v1/shops/s1", new { ecommercePermission = false }), HttpStatusCode.OK);
        var both = (await Kit.Get(shop, $"/api/v1/invitations/{id}"))["pendingBecause"].A();
        Assert.Equal(["TS-E3", "TS-E5"], both.Select(r => r!["rule"].S()).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains(both, r => r!["code"].S() == "shop_ecommerce_revoked");

        // Support corrects the data: the invitation no longer waits on anything but the creator.
        await Kit.Expect(await world.Admin.Send(HttpMethod.Patch, "/api/v1/accounts/alice", new { registrationCountry = "GB" }), HttpStatusCode.OK);
        await Kit.Expect(await world.Admin.Send(HttpMethod.Patch, "/api/v1/shops/s1", new { ecommercePermission = true }), HttpStatusCode.OK);
        Assert.Empty((await Kit.Get(shop, $"/api/v1/invitations/{id}"))["pendingBecause"].A());
        await Kit.Expect(await alice.PostAsync($"/api/v1/invitations/{id}/accept", null), HttpStatusCode.OK);
        Assert.Null((await Kit.Get(shop, $"/api/v1/invitations/{id}"))["pendingBecause"]);

        // Each correction is in the account's history with before and after.
        var history = (await Kit.Get(world.Admin, "/api/v1/accounts/alice/history"))["items"].A();
        var updates = history.Where(h => h!["action"].S() == "account.updated").ToArray();
        Assert.Equal(2, updates.Length);
        Assert.Equal("GB", updates[0]!["before"]!["registrationCountry"].S());
        Assert.Equal("FR", updates[0]!["after"]!["registrationCountry"].S());
        Assert.Equal("admin", updates[0]!["actor"].S());
    }
}

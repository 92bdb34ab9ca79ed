using System.Net;
using System.Net.Http.Json;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>Z-4: replacing the official account in one transaction, explained before acting.</summary>
public sealed class SwapTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact] // Z-4, TS-Q2, X-4, X-6
    public async Task A_swap_is_explained_then_ends_the_old_official_binding_at_the_instant_the_new_one_starts()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var bob = await world.Account("bob");
        var old = await world.Bind(shop, "s1", alice, "alice");
        await world.Advance("PT25H");

        var check = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/checks", new { action = "swap", shopId = "s1", accountId = "bob" }), HttpStatusCode.OK);
        Assert.True(check["allowed"].B());
        Assert.Equal("swap", check["action"].S());
        var spend = check["effects"].A().Single(e => e!["kind"].S() == "spends_quota")!;
        Assert.Equal("TS-Q2", spend["rule"].S());
        Assert.Equal(2, spend["remainingAfter"].I());
        Assert.Contains(check["effects"].A(), e => e!["kind"].S() == "ends_binding" && e["subject"].S() == old);

        var swap = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/shops/s1/official-account/swap", new { accountId = "bob" }), HttpStatusCode.Created);
        Assert.Equal(old, swap["replacesBindingId"].S());
        // Until bob accepts, alice stays the official account; the slot is not offered to anyone else.
        Assert.Equal("active", (await Kit.Get(shop, $"/api/v1/bindings/{old}"))["state"].S());
        await world.AccountOnly("carol");
        Assert.Equal(["TS-B2"], Kit.RulesOf(await Kit.Denied(await shop.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "carol", role = "official" }))));

        await world.Advance("PT1H");
        var accepted = await Kit.Expect(await bob.PostAsync($"/api/v1/invitations/{swap["id"].S()}/accept", null), HttpStatusCode.OK);
        var ended = await Kit.Get(shop, $"/api/v1/bindings/{old}");
        Assert.Equal("ended", ended["state"].S());
        Assert.Equal("swapped", ended["endReason"].S());
        Assert.Equal(accepted["activatedAt"].S(), ended["endedAt"].S()); // never a moment without an official account
        Assert.Equal(1, (await Kit.Quota(shop, "s1", "official_unbinds"))["used"].I());
        var at = accepted["activatedAt"].S();
        Assert.Null((await Kit.Get(alice, $"/api/v1/accounts/alice/binding?asOf={at}"))["binding"]);
        Assert.Equal("s1", (await Kit.Get(bob, $"/api/v1/accounts/bob/binding?asOf={at}"))["binding"]!["shopId"].S());
        Assert.Contains(await Kit.Events(world.Admin), e => e["type"].S() == "official_account.swapped");
    }

    [Fact] // Z-4, TS-Q1, TS-Q2
    public async Task A_swap_waits_for_the_current_binding_and_needs_an_unbind_left()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        await world.AccountOnly("bob");
        await world.Bind(shop, "s1", alice, "alice");

        var early = await Kit.Denied(await shop.PostAsJsonAsync("/api/v1/shops/s1/official-account/swap", new { accountId = "bob" }));
        Assert.Equal(["TS-Q1"], Kit.RulesOf(early));
        Assert.Equal(Kit.At(TimeSpan.FromHours(24)), early["passesAt"].S());

        // Spend the three lifetime official unbinds, then a swap is refused for good.
        for (var i = 0; i < 3; i++)
        {
            await world.Advance("PT24H");
            var bindingId = (await Kit.Bindings(shop, "s1", "live"))[0]!["id"].S();
            await World.Unbind(shop, world.CreatorOf((await Kit.Bindings(shop, "s1", "live"))[0]!["accountId"].S()), bindingId);
            var next = "n" + i;
            await world.Bind(shop, "s1", await world.Account(next), next);
        }
        await world.Advance("PT24H");
        var spent = await Kit.Denied(await shop.PostAsJsonAsync("/api/v1/shops/s1/official-account/swap", new { accountId = "bob" }));
        Assert.Equal(["TS-Q2"], Kit.RulesOf(spent));
    }

    [Fact] // Z-4, DY-O2
    public async Task A_douyin_official_account_cannot_be_swapped_and_a_shop_without_one_is_told_to_invite()
    {
        var world = new World(factory);
        await world.Shop("s1");
        await world.AccountOnly("bob");
        var none = await world.Admin.PostAsJsonAsync("/api/v1/shops/s1/official-account/swap", new { accountId = "bob" });
        await Kit.Problem(none, HttpStatusCode.Conflict, "no_official_account");

        var admin = world.Admin;
        foreach (var id in new[] { "boss", "star", "heir" })
        {
            await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/accounts", new { id, handle = "dy." + id, registrationCountry = "CN", birthDate = "1990-01-01", origin = "douyin" }), HttpStatusCode.Created);
        }
        await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/shops", new { id = "dy", name = "dy", policyId = "douyin", country = "CN", merchantType = "regular", mainAccountId = "boss" }), HttpStatusCode.Created);
        var invite = await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/shops/dy/invitations", new { accountId = "star", role = "official" }), HttpStatusCode.Created);
        await Kit.Expect(await admin.PostAsync($"/api/v1/invitations/{invite["id"].S()}/accept", null), HttpStatusCode.OK);
        await world.Advance("P400D");

        var refused = await Kit.Denied(await admin.PostAsJsonAsync("/api/v1/shops/dy/official-account/swap", new { accountId = "heir" }));
        Assert.Equal(["DY-O2"], Kit.RulesOf(refused));
    }
}

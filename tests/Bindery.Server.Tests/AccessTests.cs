using System.Net;
using System.Net.Http.Json;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>Who may ask what: checks follow the commands' party rules, and secrets and other tenants stay hidden.</summary>
public sealed class AccessTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task A_check_answers_only_for_the_party_whose_move_it_is()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var invite = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "alice", role = "official" }), HttpStatusCode.Created);
        var id = invite["id"].S();

        var merchantAsksAccept = await shop.PostAsJsonAsync("/api/v1/checks", new { action = "accept", bindingId = id });
        await Kit.Problem(merchantAsksAccept, HttpStatusCode.Forbidden, "forbidden");
        var creatorAsksCancel = await alice.PostAsJsonAsync("/api/v1/checks", new { action = "cancel", bindingId = id });
        await Kit.Problem(creatorAsksCancel, HttpStatusCode.Forbidden, "forbidden");
        var creatorAsksInvite = await alice.PostAsJsonAsync("/api/v1/checks", new { action = "invite", shopId = "s1", accountId = "alice", role = "channel" });
        await Kit.Problem(creatorAsksInvite, HttpStatusCode.NotFound, "not_found");

        var creatorAsksAccept = await Kit.Expect(await alice.PostAsJsonAsync("/api/v1/checks", new { action = "accept", bindingId = id }), HttpStatusCode.OK);
        Assert.True(creatorAsksAccept["allowed"].B());
    }

    [Fact] // Z-3
    public async Task An_idempotent_replay_of_a_minted_token_does_not_show_the_secret_again()
    {
        var world = new World(factory);
        await world.Shop("s1");
        HttpRequestMessage Make()
        {
            var m = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { kind = "merchant", shopId = "s1" }) };
            m.Headers.Add("Idempotency-Key", "mint-1");
            return m;
        }
        var first = await Kit.Expect(await world.Admin.SendAsync(Make()), HttpStatusCode.Created);
        var secret = first["token"].S();
        Assert.StartsWith("bdy_", secret, StringComparison.Ordinal);

        var replay = await world.Admin.SendAsync(Make());
        var body = await Kit.Expect(replay, HttpStatusCode.Created);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Null(body["token"]);
        Assert.Equal(first["details"]!["id"].S(), body["details"]!["id"].S());
        Assert.DoesNotContain(secret, body.ToJsonString(), StringComparison.Ordinal);

        // The secret minted the first time works.
        var me = factory.As(secret);
        Assert.Equal(HttpStatusCode.OK, (await me.GetAsync("/api/v1/shops/s1")).StatusCode);
    }

    [Fact]
    public async Task A_merchant_sees_accounts_it_invited_but_no_others()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        await world.AccountOnly("bob");
        await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "alice", role = "official" }), HttpStatusCode.Created);

        Assert.Equal("alice", (await Kit.Get(shop, "/api/v1/accounts/alice"))["id"].S());
        await Kit.Problem(await shop.GetAsync("/api/v1/accounts/bob"), HttpStatusCode.NotFound, "not_found");
        // Seeing the account does not open its inbox or history: those endpoints admit creators and staff, not merchants.
        await Kit.Problem(await shop.GetAsync("/api/v1/accounts/alice/history"), HttpStatusCode.Forbidden, "forbidden");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>Z-3: a request sent again with the same Idempotency-Key gets the first answer and never acts twice.</summary>
public sealed class IdempotencyTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static Task<HttpResponseMessage> Post(HttpClient client, string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private static bool Replayed(HttpResponseMessage r) =>
        r.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.SequenceEqual(["true"]);

    [Fact] // Z-3, TS-I1
    public async Task A_retried_invitation_is_answered_with_the_first_answer_and_invites_once()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        var eventsBefore = await Kit.EventCount(world.Admin);
        var body = new { accountId = "alice", role = "official" };

        var first = await Post(shop, "/api/v1/shops/s1/invitations", body, "invite-alice-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(Replayed(first));
        var firstText = await first.Content.ReadAsStringAsync();

        for (var retry = 0; retry < 2; retry++)
        {
            var again = await Post(shop, "/api/v1/shops/s1/invitations", body, "invite-alice-1");
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
            Assert.True(Replayed(again), "a replay is marked Idempotent-Replayed: true");
            Assert.Equal(firstText, await again.Content.ReadAsStringAsync());
            Assert.Equal(first.Headers.Location, again.Headers.Location);
            Assert.Equal("application/json", again.Content.Headers.ContentType?.MediaType);
        }

        // Acted once: one invitation, one event.
        Assert.Single(await Kit.Bindings(world.Admin, "s1"));
        var added = (await Kit.Events(world.Admin)).Skip(eventsBefore).Select(e => e["type"].S()).ToArray();
        Assert.Equal(["invitation.sent"], added);
    }

    [Fact] // Z-3
    public async Task The_same_key_with_a_different_body_is_refused_with_422_and_changes_nothing()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        await world.AccountOnly("bob");
        Assert.Equal(HttpStatusCode.Created,
            (await Post(shop, "/api/v1/shops/s1/invitations", new { accountId = "alice", role = "official" }, "k-1")).StatusCode);
        var eventsBefore = await Kit.EventCount(world.Admin);

        var reused = await Post(shop, "/api/v1/shops/s1/invitations", new { accountId = "bob", role = "channel" }, "k-1");
        var problem = await Kit.Problem(reused, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.False(Replayed(reused));
        Assert.Equal("urn:bindery:problem:idempotency-key-reused", problem["type"].S());

        // The same key on another endpoint is another request too.
        var elsewhere = await Post(shop, "/api/v1/invitations/whatever/cancel", new { }, "k-1");
        await Kit.Problem(elsewhere, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");

        Assert.Empty((await Kit.Get(world.Admin, "/api/v1/accounts/bob/bindings")).A());
        Assert.Single(await Kit.Bindings(world.Admin, "s1"));
        Assert.Equal(eventsBefore, await Kit.EventCount(world.Admin));
    }

    [Fact] // Z-3
    public async Task Keys_belong_to_the_principal_that_sent_them()
    {
        var world = new World(factory);
        var s1 = await world.Shop("s1");
        var s2 = await world.Shop("s2");
        foreach (var a in new[] { "alice", "bob", "carol" })
        {
            await world.AccountOnly(a);
        }

        var byS1 = await Post(s1, "/api/v1/shops/s1/invitations", new { accountId = "alice", role = "official" }, "shared-key");
        Assert.Equal(HttpStatusCode.Created, byS1.StatusCode);

        // Another merchant, same key, other request: acts, is no replay and no conflict.
        var byS2 = await Post(s2, "/api/v1/shops/s2/invitations", new { accountId = "bob", role = "official" }, "shared-key");
        var s2Body = await Kit.Expect(byS2, HttpStatusCode.Created);
        Assert.False(Replayed(byS2));
        Assert.Equal("bob", s2Body["accountId"].S());

        // The admin, same key, same body as s1's first request: acts on its own (and is refused by the rules: alice is held).
        var byAdmin = await Post(world.Admin, "/api/v1/shops/s1/invitations", new { accountId = "alice", role = "official" }, "shared-key");
        Assert.False(Replayed(byAdmin));
        await Kit.Denied(byAdmin);

        // And s1 retrying still gets its own first answer.
        var retry = await Post(s1, "/api/v1/shops/s1/invitations", new { accountId = "alice", role = "official" }, "shared-key");
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(Replayed(retry));
        Assert.Equal(await byS1.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());

        Assert.Single(await Kit.Bindings(world.Admin, "s1"));
        Assert.Single(await Kit.Bindings(world.Admin, "s2"));
        Assert.Empty((await Kit.Get(world.Admin, "/api/v1/accounts/carol/bindings")).A());
    }

    [Fact] // Z-3, TS-B3
    public async Task A_refused_request_is_replayed_as_refused_and_a_new_key_is_a_new_request()
    {
        var world = new World(factory);
        var s1 = await world.Shop("s1");
        var s2 = await world.Shop("s2");
        await world.AccountOnly("alice");
        var held = await World.Invite(s1, "s1", "alice");

        var refused = await Post(s2, "/api/v1/shops/s2/invitations", new { accountId = "alice", role = "official" }, "try-alice");
        var refusal = await Kit.Denied(refused);
        Assert.Equal(["TS-B3"], Kit.RulesOf(refusal));

        // The hold goes away, but a retry of the same request is the same request: it gets the same answer.
        await Kit.Expect(await s1.PostAsync($"/api/v1/invitations/{held}/cancel", null), HttpStatusCode.OK);
        var replay = await Post(s2, "/api/v1/shops/s2/invitations", new { accountId = "alice", role = "official" }, "try-alice");
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.True(Replayed(replay));
        Assert.Equal("application/problem+json", replay.Content.Headers.ContentType?.MediaType);
        Assert.Equal(refusal.ToJsonString(), (await replay.Json()).ToJsonString());
        Assert.Empty(await Kit.Bindings(world.Admin, "s2"));

        var fresh = await Post(s2, "/api/v1/shops/s2/invitations", new { accountId = "alice", role = "official" }, "try-alice-2");
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        Assert.False(Replayed(fresh));
        Assert.Single(await Kit.Bindings(world.Admin, "s2"));
    }

    [Fact] // Z-3, TS-U1, X-5
    public async Task Retried_approvals_and_clock_moves_act_once()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var id = await world.Bind(shop, "s1", alice, "alice");

        for (var i = 0; i < 2; i++)
        {
            var move = await Post(world.Admin, "/api/v1/clock/advance", new { by = "PT24H" }, "move-1");
            Assert.Equal(HttpStatusCode.OK, move.StatusCode);
            Assert.Equal(i == 1, Replayed(move));
        }
        var clock = await Kit.Get(world.Admin, "/api/v1/clock");
        Assert.Equal(Kit.At(TimeSpan.FromHours(24)), clock["now"].S());

        var unlinkId = await World.RequestUnlink(alice, id);
        var eventsBefore = await Kit.EventCount(world.Admin);
        var first = await Post(shop, $"/api/v1/unlink-requests/{unlinkId}/approve", new { note = "ok" }, "approve-1");
        var second = await Post(shop, $"/api/v1/unlink-requests/{unlinkId}/approve", new { note = "ok" }, "approve-1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(Replayed(second));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        var added = (await Kit.Events(world.Admin)).Skip(eventsBefore).Select(e => e["type"].S()).ToArray();
        Assert.Equal(["unlink_request.approved", "binding.ended"], added);
        Assert.Equal(1, (await Kit.Quota(shop, "s1", "official_unbinds"))["used"].I());
    }

    [Fact] // Z-3
    public async Task An_oversized_key_is_a_validation_problem_and_nothing_is_done()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        var eventsBefore = await Kit.EventCount(world.Admin);

        var r = await Post(shop, "/api/v1/shops/s1/invitations", new { accountId = "alice", role = "official" }, new string('k', 201));
        var problem = await Kit.Problem(r, HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotNull(problem["errors"]!["Idempotency-Key"]);
        Assert.Empty(await Kit.Bindings(world.Admin, "s1"));
        Assert.Equal(eventsBefore, await Kit.EventCount(world.Admin));
    }

    [Fact] // Z-3
    public async Task Retrying_a_create_without_a_chosen_id_replays_the_first_answer_instead_of_creating_again()
    {
        var world = new World(factory);
        var account = new { handle = "nameless", registrationCountry = "GB", birthDate = "1990-01-01" };
        var shop = new { name = "No id", country = "GB", merchantType = "invited" };

        var a1 = await Post(world.Admin, "/api/v1/accounts", account, "create-account");
        var a2 = await Post(world.Admin, "/api/v1/accounts", account, "create-account");
        var firstAccount = await Kit.Expect(a1, HttpStatusCode.Created);
        await Kit.Expect(a2, HttpStatusCode.Created);
        Assert.True(Replayed(a2));
        Assert.Equal(await a1.Content.ReadAsStringAsync(), await a2.Content.ReadAsStringAsync());
        Assert.StartsWith("acc_", firstAccount["id"].S(), StringComparison.Ordinal);

        var s1 = await Post(world.Admin, "/api/v1/shops", shop, "create-shop");
        var s2 = await Post(world.Admin, "/api/v1/shops", shop, "create-shop");
        var firstShop = await Kit.Expect(s1, HttpStatusCode.Created);
        await Kit.Expect(s2, HttpStatusCode.Created);
        Assert.True(Replayed(s2));
        Assert.Equal(firstShop["id"].S(), (await s2.Json())["id"].S());

        var shops = (await Kit.Get(world.Admin, "/api/v1/shops")).A();
        Assert.Single(shops, x => x!["name"].S() == "No id");
        var created = (await Kit.Events(world.Admin)).Count(e => e["type"].S() is "account.created" or "shop.created");
        Assert.Equal(2, created);

        // Without a key, the same body is a new request: the handle is taken now.
        await Kit.Problem(await world.Admin.PostAsJsonAsync("/api/v1/accounts", account), HttpStatusCode.Conflict, "conflict");
    }
}

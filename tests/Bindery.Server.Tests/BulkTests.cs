using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>
/// Z-3: bulk invitations and unlink approvals. One request is one transaction; items run in order, each with its own
/// result (created, refused with rule ids, failed with a problem), later items see earlier ones, a refused or failed
/// item changes nothing, and an Idempotency-Key retry replays the whole answer without acting again.
/// </summary>
public sealed class BulkTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    internal static Task<HttpResponseMessage> Post(HttpClient client, string url, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return client.SendAsync(request);
    }

    internal static bool Replayed(HttpResponseMessage r) =>
        r.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.SequenceEqual(["true"]);

    internal static string[] Statuses(JsonNode answer) => answer["results"].A().Select(r => r!["status"].S()).ToArray();

    internal static void Summary(JsonNode answer, int created, int exists, int refused, int failed)
    {
        var s = answer["summary"]!;
        Assert.Equal([created, exists, refused, failed], new[] { s["created"].I(), s["exists"].I(), s["refused"].I(), s["failed"].I() });
    }

    [Fact] // Z-3, TS-B3, TS-B2, TS-I1
    public async Task Each_invitation_has_its_own_result_and_later_items_see_earlier_ones()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.Shop("s2");
        await world.AccountOnly("alice");
        await world.AccountOnly("bob");
        var eventsBefore = await Kit.EventCount(world.Admin);

        var r = await Post(shop, "/api/v1/bulk/invitations", new
        {
            items = new object?[]
            {
                new { shopId = "s1", accountId = "alice", role = "official" },
                new { shopId = "s1", handle = "@alice", role = "channel" },   // alice is held by item 0 now
                new { shopId = "s1", accountId = "bob", role = "official" },  // the one official seat is taken by item 0
                new { shopId = "s1", accountId = "nobody", role = "channel" },
                new { shopId = "s1", accountId = "bob", role = "boss" },
                new { shopId = "s2", accountId = "bob", role = "channel" },   // not this merchant's shop
                new { accountId = "bob", role = "channel" },
                null,
                new { shopId = "s1", accountId = "bob", role = "channel" },
            },
        });
        var answer = await Kit.Expect(r, HttpStatusCode.OK);
        Assert.Equal(["created", "refused", "refused", "failed", "failed", "failed", "failed", "failed", "created"], Statuses(answer));
        Summary(answer, created: 2, exists: 0, refused: 2, failed: 5);
        var results = answer["results"].A();
        Assert.Equal(Enumerable.Range(0, 9), results.Select(x => x!["index"].I()));

        var created = results[0]!;
        Assert.StartsWith("bnd_", created["id"].S(), StringComparison.Ordinal);
        Assert.Null(created["rules"]);
        Assert.Null(created["problem"]);

        Assert.Equal(["TS-B3"], Kit.RulesOf(results[1]!));
        Assert.Equal("TS-B3", results[1]!["reasons"].A().Single()!["rule"].S());
        Assert.Null(results[1]!["id"]);
        Assert.Null(results[1]!["problem"]);
        Assert.Equal(["TS-B2"], Kit.RulesOf(results[2]!));

        Assert.Equal("not_found", results[3]!["problem"]!["code"].S());
        Assert.Equal(404, results[3]!["problem"]!["status"].I());
        Assert.Null(results[3]!["rules"]);
        Assert.Equal("validation_failed", results[4]!["problem"]!["code"].S());
        Assert.NotNull(results[4]!["problem"]!["errors"]!["role"]);
        Assert.Equal("not_found", results[5]!["problem"]!["code"].S());
        Assert.NotNull(results[6]!["problem"]!["errors"]!["shopId"]);
        Assert.Equal("validation_failed", results[7]!["problem"]!["code"].S());

        // Only the two created items acted: two invitations, two events, nothing of the refused or failed ones.
        var bindings = await Kit.Bindings(world.Admin, "s1");
        Assert.Equal(
            new[] { created["id"].S(), results[8]!["id"].S() }.Order(StringComparer.Ordinal),
            bindings.Select(b => b!["id"].S()).Order(StringComparer.Ordinal));
        Assert.Equal(
            new[] { ("alice", "official"), ("bob", "channel") },
            bindings.Select(b => (b!["accountId"].S(), b["role"].S())).Order().ToArray());
        Assert.Empty(await Kit.Bindings(world.Admin, "s2"));
        var added = (await Kit.Events(world.Admin)).Skip(eventsBefore).Select(e => e["type"].S()).ToArray();
        Assert.Equal(["invitation.sent", "invitation.sent"], added);
    }

    [Fact] // Z-3, TS-I1
    public async Task A_retried_bulk_request_replays_the_whole_answer_and_invites_once()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        await world.AccountOnly("bob");
        var body = new
        {
            items = new object[]
            {
                new { shopId = "s1", accountId = "alice", role = "official" },
                new { shopId = "s1", accountId = "bob", role = "channel" },
                new { shopId = "s1", accountId = "alice", role = "channel" },
            },
        };
        var eventsBefore = await Kit.EventCount(world.Admin);

        var first = await Post(shop, "/api/v1/bulk/invitations", body, "bulk-1");
        var firstAnswer = await Kit.Expect(first, HttpStatusCode.OK);
        Assert.False(Replayed(first));
        Assert.Equal(["created", "created", "refused"], Statuses(firstAnswer));

        var retry = await Post(shop, "/api/v1/bulk/invitations", body, "bulk-1");
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.True(Replayed(retry));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());

        Assert.Equal(2, (await Kit.Bindings(world.Admin, "s1")).Count);
        var added = (await Kit.Events(world.Admin)).Skip(eventsBefore).Select(e => e["type"].S()).ToArray();
        Assert.Equal(["invitation.sent", "invitation.sent"], added);

        // Without the key the same body is a new request: now every item is refused (the accounts are held).
        var again = await Kit.Expect(await Post(shop, "/api/v1/bulk/invitations", body), HttpStatusCode.OK);
        Assert.Equal(["refused", "refused", "refused"], Statuses(again));
        Assert.All(again["results"].A(), x => Assert.Contains("TS-B3", Kit.RulesOf(x!)));
    }

    [Fact] // Z-3
    public async Task The_same_key_with_another_bulk_body_is_refused_and_changes_nothing()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        await world.AccountOnly("bob");
        await Kit.Expect(await Post(shop, "/api/v1/bulk/invitations",
            new { items = new[] { new { shopId = "s1", accountId = "alice", role = "official" } } }, "k"), HttpStatusCode.OK);

        var other = await Post(shop, "/api/v1/bulk/invitations",
            new { items = new[] { new { shopId = "s1", accountId = "bob", role = "channel" } } }, "k");
        await Kit.Problem(other, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.Single(await Kit.Bindings(world.Admin, "s1"));
    }

    [Fact] // Z-3, TS-I1
    public async Task The_admin_invites_for_any_shop_and_a_creator_for_none()
    {
        var world = new World(factory);
        await world.Shop("s1");
        await world.Shop("s2");
        var alice = await world.Account("alice");
        await world.AccountOnly("bob");
        var items = new[]
        {
            new { shopId = "s1", accountId = "alice", role = "official" },
            new { shopId = "s2", accountId = "bob", role = "official" },
        };

        // Bulk invitations are for merchants: a creator is refused as a whole, before any item is looked at.
        await Kit.Problem(await Post(alice, "/api/v1/bulk/invitations", new { items }), HttpStatusCode.Forbidden, "forbidden");

        var byAdmin = await Kit.Expect(await Post(world.Admin, "/api/v1/bulk/invitations", new { items }), HttpStatusCode.OK);
        Assert.Equal(["created", "created"], Statuses(byAdmin));
        Assert.Single(await Kit.Bindings(world.Admin, "s1"));
        Assert.Single(await Kit.Bindings(world.Admin, "s2"));
    }

    [Fact] // Z-3, TS-U1, TS-U2, TS-U3
    public async Task Unlink_requests_are_approved_in_bulk_each_with_its_result()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var other = await world.Shop("s2");
        var alice = await world.Account("alice");
        var bob = await world.Account("bob");
        var cal = await world.Account("cal");
        var aliceBinding = await world.Bind(shop, "s1", alice, "alice");
        var bobBinding = await world.Bind(shop, "s1", bob, "bob", "channel");
        var calBinding = await world.Bind(other, "s2", cal, "cal");
        await world.Advance("PT24H");
        var aliceUnlink = await World.RequestUnlink(alice, aliceBinding);
        var bobUnlink = await World.RequestUnlink(bob, bobBinding);
        var calUnlink = await World.RequestUnlink(cal, calBinding);

        var r = await Post(shop, "/api/v1/bulk/unlink-approvals", new
        {
            items = new object[]
            {
                new { unlinkRequestId = aliceUnlink, note = "bye" },
                new { unlinkRequestId = aliceUnlink },               // approved by item 0 already
                new { unlinkRequestId = calUnlink },                 // another shop's request
                new { unlinkRequestId = bobUnlink, note = new string('x', 501) },
                new { unlinkRequestId = bobUnlink },
            },
        });
        var answer = await Kit.Expect(r, HttpStatusCode.OK);
        Assert.Equal(["created", "refused", "failed", "failed", "created"], Statuses(answer));
        var results = answer["results"].A();
        Assert.Equal(aliceUnlink, results[0]!["id"].S());
        Assert.Equal(bobUnlink, results[4]!["id"].S());
        Assert.Equal(["TS-U1"], Kit.RulesOf(results[1]!));
        Assert.Equal("not_found", results[2]!["problem"]!["code"].S());
        Assert.NotNull(results[3]!["problem"]!["errors"]!["note"]);
        Summary(answer, created: 2, exists: 0, refused: 1, failed: 2);

        var ended = await Kit.Get(shop, $"/api/v1/bindings/{aliceBinding}");
        Assert.Equal("ended", ended["state"].S());
        Assert.Equal("unlink_approved", ended["endReason"].S());
        Assert.Equal("bye", (await Kit.Get(shop, $"/api/v1/unlink-requests/{aliceUnlink}"))["note"].S());
        Assert.Equal("ended", (await Kit.Get(shop, $"/api/v1/bindings/{bobBinding}"))["state"].S());
        Assert.Equal("unlink_requested", (await Kit.Get(other, $"/api/v1/bindings/{calBinding}"))["state"].S());
        Assert.Equal(1, (await Kit.Quota(shop, "s1", "official_unbinds"))["used"].I());
    }

    [Fact] // Z-3
    public async Task A_request_has_one_to_a_thousand_items()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var eventsBefore = await Kit.EventCount(world.Admin);
        var item = new { shopId = "s1", accountId = "nobody", role = "channel" };

        var tooMany = await Post(shop, "/api/v1/bulk/invitations", new { items = Enumerable.Repeat(item, 1001).ToArray() });
        var problem = await Kit.Problem(tooMany, HttpStatusCode.BadRequest, "too_many_items");
        Assert.Equal(1000, problem["limit"].I());
        Assert.Equal(1001, problem["count"].I());
        Assert.Contains("1000", problem["detail"].S(), StringComparison.Ordinal);

        await Kit.Problem(await Post(shop, "/api/v1/bulk/invitations", new { items = Array.Empty<object>() }), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await Post(shop, "/api/v1/bulk/invitations", new { }), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await Post(shop, "/api/v1/bulk/unlink-approvals", new { items = Enumerable.Repeat(new { unlinkRequestId = "x" }, 1001).ToArray() }),
            HttpStatusCode.BadRequest, "too_many_items");
        Assert.Equal(eventsBefore, await Kit.EventCount(world.Admin));

        // Exactly the limit is one request with a result per item.
        var full = await Kit.Expect(await Post(shop, "/api/v1/bulk/invitations", new { items = Enumerable.Repeat(item, 1000).ToArray() }), HttpStatusCode.OK);
        Assert.Equal(1000, full["results"].A().Count);
        Summary(full, created: 0, exists: 0, refused: 0, failed: 1000);
    }
}

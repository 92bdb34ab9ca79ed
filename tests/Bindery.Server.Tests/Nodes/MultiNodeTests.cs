using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Bindery.Server.Features.Invitations;
using Bindery.Server.Http;
using Xunit.Abstractions;

namespace Bindery.Server.Tests.Nodes;

/// <summary>
/// Three server processes on one PostgreSQL database, each on its own 127.0.0.1 port, hit at once by a bounded load
/// of racing invitations, acceptances, unlink requests and approvals on shared shops and accounts, with the shared
/// clock moved through different nodes; then SQL checks that every rule held at every instant, that each time-driven
/// transition (expiry, auto-approval, closure, deletion) was recorded exactly once although every node sweeps, and
/// that a reader polling the event feed through any node saw every event once, in order.
/// </summary>
public sealed class MultiNodeTests(ITestOutputHelper output)
{
    private const int Nodes = 3;
    private const int Workers = 9;
    private const int OpsPerPhase = 120;
    private static readonly string[] ShopIds = ["mn-inv-1", "mn-inv-2", "mn-inv-3", "mn-reg-1"];
    private static readonly string[] AccountIds = Enumerable.Range(1, 18).Select(i => $"mn-acc-{i:00}").ToArray();

    private readonly Dictionary<string, string> tokens = new(StringComparer.Ordinal);
    private readonly List<ServerNode> nodes = [];
    private readonly ConcurrentDictionary<string, (string Shop, string Account)> invited = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Shop, string Account)> active = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> pendingUnlinks = new(StringComparer.Ordinal); // unlink id → shop
    private readonly ConcurrentDictionary<string, int> outcomes = new(StringComparer.Ordinal);

    [PostgresFact] // TS-B1, TS-B2, TS-B3, TS-Q2, TS-Q3, TS-I1, TS-U4, DY-L1, DY-L2, X-2, X-5
    public async Task Three_nodes_on_one_database_keep_every_rule_and_record_each_transition_once()
    {
        using var store = TestStore.Create(postgres: true);
        storeRef = store;
        try
        {
            // All three start at once: one at a time migrates and creates the shared secret (start-up lock).
            var watch = Stopwatch.StartNew();
            nodes.AddRange(await Task.WhenAll(Enumerable.Range(1, Nodes).Select(i => ServerNode.Start($"node-{i}", store))));
            output.WriteLine($"{watch.Elapsed}: three nodes up");
            await Setup();
            output.WriteLine($"{watch.Elapsed}: set up");

            using var stopReader = new CancellationTokenSource();
            var reader = ReadFeed(stopReader.Token);

            await Phase(1, invite: 6, accept: 4, unlink: 0, approve: 0);
            output.WriteLine($"{watch.Elapsed}: phase 1 done");
            await AdvanceThrough(nodes[1], "PT25H", expectedOffset: "PT25H");
            // A fixed unlink request left unanswered: auto-approved after 7 days (TS-U4), by exactly one node.
            var fixedUnlink = await Expect(nodes[2].Send(HttpMethod.Post, $"/api/v1/bindings/{fixedBinding}/unlink-requests", tokens["mn-fixed-active"], new { reason = "leaving" }), HttpStatusCode.Created);
            await Phase(2, invite: 3, accept: 3, unlink: 3, approve: 3);
            output.WriteLine($"{watch.Elapsed}: phase 2 done");
            await AdvanceThrough(nodes[2], "PT25H", expectedOffset: "PT50H");
            await Phase(3, invite: 3, accept: 3, unlink: 3, approve: 3);
            output.WriteLine($"{watch.Elapsed}: phase 3 done");
            await AdvanceThrough(nodes[0], "P31D", expectedOffset: "P33DT2H");

            // Every node settles at once (reads settle first) while their sweeps run too.
            for (var round = 0; round < 5; round++)
            {
                await Task.WhenAll(nodes.Select(n => n.Send(HttpMethod.Get, "/api/v1/events?limit=1", ServerNode.AdminToken)));
            }
            for (var i = 0; i < 120 && await store.Count(
                "SELECT COUNT(*) FROM \"bindings\" WHERE \"State\" = 'invited'") + await store.Count(
                "SELECT COUNT(*) FROM \"unlink_requests\" WHERE \"State\" = 'pending'") + await store.Count(
                "SELECT COUNT(*) FROM \"shops\" WHERE \"Status\" = 'closing'") > 0; i++)
            {
                await Task.Delay(250);
            }

            output.WriteLine($"{watch.Elapsed}: settled");
            var feed = await CatchUp(reader, stopReader);
            output.WriteLine($"{watch.Elapsed}: feed read ({feed.Count} events); outcomes: {Summary()}");
            var all = (await store.Rows("SELECT \"Seq\" FROM \"events\" ORDER BY \"Seq\"")).Select(r => Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            // the poller saw each event once, in order, and skipped none that committed later.
            Assert.Equal(all, feed);

            await Invariants.AssertRulesHold(store);

            // The load did what it was meant to: races were won and lost, unlinks happened, time moved things.
            Assert.True(outcomes.GetValueOrDefault("invite:201") > 0 && outcomes.GetValueOrDefault("invite:409") > 0, Summary());
            Assert.True(outcomes.GetValueOrDefault("accept:200") > 0, Summary());
            Assert.True(outcomes.GetValueOrDefault("approve:200") > 0 && outcomes.GetValueOrDefault("unlink:201") > 0, Summary());

            // Each time-driven transition exactly once, although three nodes swept (TS-I1, TS-U4, DY-L1, DY-L2).
            Assert.Equal("expired", await State($"SELECT \"State\" FROM \"bindings\" WHERE \"Id\" = '{fixedInvitation}'"));
            Assert.Equal(1, await store.Count($"SELECT COUNT(*) FROM \"events\" WHERE \"Type\" = 'invitation.expired' AND \"SubjectId\" = '{fixedInvitation}'"));
            Assert.Equal(1, await store.Count($"SELECT COUNT(*) FROM \"history\" WHERE \"Action\" = 'invitation.expired' AND \"SubjectId\" = '{fixedInvitation}'"));
            var unlinkId = fixedUnlink["id"]!.GetValue<string>();
            Assert.Equal("auto_approved", await State($"SELECT \"State\" FROM \"unlink_requests\" WHERE \"Id\" = '{unlinkId}'"));
            Assert.Equal(1, await store.Count($"SELECT COUNT(*) FROM \"events\" WHERE \"Type\" = 'unlink_request.auto_approved' AND \"SubjectId\" = '{unlinkId}'"));
            Assert.Equal(1, await store.Count("SELECT COUNT(*) FROM \"events\" WHERE \"Type\" = 'shop.closed' AND \"SubjectId\" = 'mn-dy'"));
            Assert.Equal(1, await store.Count("SELECT COUNT(*) FROM \"history\" WHERE \"Action\" = 'shop.closed' AND \"SubjectId\" = 'mn-dy'"));
            Assert.Equal("account_deleted", await State($"SELECT \"EndReason\" FROM \"bindings\" WHERE \"Id\" = '{leaverBinding}'"));
            Assert.Equal("shop_closed", await State($"SELECT \"EndReason\" FROM \"bindings\" WHERE \"Id\" = '{dyStarBinding}'"));
            var expiredCount = await store.Count("SELECT COUNT(*) FROM \"bindings\" WHERE \"State\" = 'expired'");
            Assert.Equal(expiredCount, await store.Count("SELECT COUNT(*) FROM \"events\" WHERE \"Type\" = 'invitation.expired'"));
            Assert.Equal(expiredCount, await store.Count("SELECT COUNT(*) FROM \"history\" WHERE \"Action\" = 'invitation.expired'"));
            var autoCount = await store.Count("SELECT COUNT(*) FROM \"unlink_requests\" WHERE \"State\" = 'auto_approved'");
            Assert.Equal(autoCount, await store.Count("SELECT COUNT(*) FROM \"events\" WHERE \"Type\" = 'unlink_request.auto_approved'"));
            var endedCount = await store.Count("SELECT COUNT(*) FROM \"bindings\" WHERE \"State\" = 'ended'");
            Assert.Equal(endedCount, await store.Count("SELECT COUNT(*) FROM \"events\" WHERE \"Type\" = 'binding.ended'"));
            Assert.Equal(endedCount, await store.Count("SELECT COUNT(*) FROM \"history\" WHERE \"Action\" = 'binding.ended'"));
        }
        finally
        {
            foreach (var n in nodes)
            {
                await n.DisposeAsync();
            }
        }
    }

    private string fixedBinding = "", fixedInvitation = "", leaverBinding = "", dyStarBinding = "";

    private async Task Setup()
    {
        var admin = nodes[0];
        foreach (var (shop, type) in ShopIds.Select(s => (s, s.Contains("reg", StringComparison.Ordinal) ? "regular" : "invited")).Append(("mn-fixed", "invited")))
        {
            await Expect(admin.Send(HttpMethod.Post, "/api/v1/shops", ServerNode.AdminToken,
                new { id = shop, name = "Shop " + shop, country = "GB", merchantType = type, kind = "business" }), HttpStatusCode.Created);
            tokens[shop] = await Mint(admin, new { kind = "merchant", shopId = shop });
        }
        // Accounts are created through all nodes at once.
        var creators = await Task.WhenAll(AccountIds.Append("mn-fixed-active").Append("mn-fixed-idle").Select(async (account, i) =>
        {
            var node = nodes[i % nodes.Count];
            await Expect(node.Send(HttpMethod.Post, "/api/v1/accounts", ServerNode.AdminToken,
                new { id = account, handle = account.Replace('-', '.'), registrationCountry = "GB", birthDate = "1990-01-01" }), HttpStatusCode.Created);
            return (account, token: await Mint(node, new { kind = "creator", accountId = account }));
        }));
        foreach (var (account, token) in creators)
        {
            tokens[account] = token;
        }
        // Fixed: one binding that will ask to unlink, one invitation nobody answers (TS-I1 expiry).
        fixedBinding = await Invite(nodes[1], "mn-fixed", "mn-fixed-active", "channel");
        await Expect(nodes[2].Send(HttpMethod.Post, $"/api/v1/invitations/{fixedBinding}/accept", tokens["mn-fixed-active"]), HttpStatusCode.OK);
        fixedInvitation = await Invite(nodes[2], "mn-fixed", "mn-fixed-idle", "channel");

        // Douyin: a shop that announces its closure (DY-L1, 30 days) and an account deleted while bound (DY-L2, 7 days).
        foreach (var (id, type) in new[] { ("mn-dy-boss", "enterprise"), ("mn-dy-star", "personal"), ("mn-dy-leaver", "personal") })
        {
            await Expect(admin.Send(HttpMethod.Post, "/api/v1/accounts", ServerNode.AdminToken, new
            {
                id, handle = id.Replace('-', '.'), registrationCountry = "CN", birthDate = "1994-04-04", origin = "douyin", type,
                realNameVerified = true, phone = "+8613800000000",
            }), HttpStatusCode.Created);
            tokens[id] = await Mint(admin, new { kind = "creator", accountId = id });
        }
        await Expect(admin.Send(HttpMethod.Post, "/api/v1/shops", ServerNode.AdminToken, new
        {
            id = "mn-dy", name = "店铺 mn-dy", policyId = "douyin", country = "CN", merchantType = "regular", kind = "enterprise",
            mainAccountId = "mn-dy-boss", paymentAccount = "pay-mn-dy",
        }), HttpStatusCode.Created);
        tokens["mn-dy"] = await Mint(admin, new { kind = "merchant", shopId = "mn-dy" });
        dyStarBinding = await Invite(nodes[1], "mn-dy", "mn-dy-star", "official", country: null);
        await Expect(nodes[2].Send(HttpMethod.Post, $"/api/v1/invitations/{dyStarBinding}/accept", tokens["mn-dy-star"], country: null), HttpStatusCode.OK);
        leaverBinding = await Invite(nodes[0], "mn-dy", "mn-dy-leaver", "showcase", country: null);
        await Expect(nodes[1].Send(HttpMethod.Post, $"/api/v1/invitations/{leaverBinding}/accept", tokens["mn-dy-leaver"], country: null), HttpStatusCode.OK);
        await Expect(nodes[2].Send(HttpMethod.Post, "/api/v1/accounts/mn-dy-leaver/deletion", tokens["mn-dy-leaver"], country: null), HttpStatusCode.OK);
        await Expect(nodes[0].Send(HttpMethod.Post, "/api/v1/shops/mn-dy/closure", tokens["mn-dy"], new { reason = "retiring" }, country: null), HttpStatusCode.OK);
    }

    /// <summary>Racing operations from <see cref="Workers"/> clients, each request to a random node.</summary>
    private async Task Phase(int phase, int invite, int accept, int unlink, int approve)
    {
        var left = OpsPerPhase;
        var total = invite + accept + unlink + approve;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var rng = new Random(phase * 100 + w);
            while (Interlocked.Decrement(ref left) >= 0)
            {
                var pick = rng.Next(total);
                var node = nodes[rng.Next(nodes.Count)];
                if (pick < invite)
                {
                    var shop = ShopIds[rng.Next(ShopIds.Length)];
                    var account = AccountIds[rng.Next(AccountIds.Length)];
                    using var r = await node.Send(HttpMethod.Post, $"/api/v1/shops/{shop}/invitations", tokens[shop],
                        new { accountId = account, role = rng.Next(3) == 0 ? "official" : "channel" });
                    Count("invite", r);
                    if (r.StatusCode == HttpStatusCode.Created)
                    {
                        invited[(await Body(r))["id"]!.GetValue<string>()] = (shop, account);
                    }
                }
                else if (pick < invite + accept)
                {
                    if (Any(invited, rng) is not { } id || !invited.TryGetValue(id, out var b))
                    {
                        continue;
                    }
                    using var r = await node.Send(HttpMethod.Post, $"/api/v1/invitations/{id}/accept", tokens[b.Account]);
                    Count("accept", r);
                    invited.TryRemove(id, out _);
                    if (r.StatusCode == HttpStatusCode.OK)
                    {
                        active[id] = b;
                    }
                }
                else if (pick < invite + accept + unlink)
                {
                    if (Any(active, rng) is not { } id || !active.TryGetValue(id, out var b))
                    {
                        continue;
                    }
                    using var r = await node.Send(HttpMethod.Post, $"/api/v1/bindings/{id}/unlink-requests", tokens[b.Account], new { reason = "load" });
                    Count("unlink", r);
                    if (r.StatusCode == HttpStatusCode.Created)
                    {
                        active.TryRemove(id, out _);
                        pendingUnlinks[(await Body(r))["id"]!.GetValue<string>()] = b.Shop;
                    }
                }
                else
                {
                    if (Any(pendingUnlinks, rng) is not { } id || !pendingUnlinks.TryRemove(id, out var shop))
                    {
                        continue;
                    }
                    // The same approval through two nodes at once: exactly one may win.
                    var other = nodes[(nodes.IndexOf(node) + 1) % nodes.Count];
                    var answers = await Task.WhenAll(node.Send(HttpMethod.Post, $"/api/v1/unlink-requests/{id}/approve", tokens[shop]),
                        other.Send(HttpMethod.Post, $"/api/v1/unlink-requests/{id}/approve", tokens[shop]));
                    foreach (var r in answers)
                    {
                        Count("approve", r);
                    }
                    Assert.True(answers.Count(r => r.StatusCode == HttpStatusCode.OK) <= 1, "one unlink request approved twice");
                    foreach (var r in answers)
                    {
                        r.Dispose();
                    }
                }
            }
        })));
    }

    private async Task AdvanceThrough(ServerNode node, string by, string expectedOffset)
    {
        await Expect(node.Send(HttpMethod.Post, "/api/v1/clock/advance", ServerNode.AdminToken, new { by }), HttpStatusCode.OK);
        // every node now reads the same moved clock.
        foreach (var n in nodes)
        {
            var clock = await Expect(n.Send(HttpMethod.Get, "/api/v1/clock", ServerNode.AdminToken), HttpStatusCode.OK);
            Assert.Equal(expectedOffset, clock["offset"]!.GetValue<string>());
        }
    }

    /// <summary>Polls GET /events?after= through the nodes in turn, keeping every seq it is given.</summary>
    private Task<List<long>> ReadFeed(CancellationToken stop) => Task.Run(async () =>
    {
        var seen = new List<long>();
        var after = 0L;
        for (var i = 0; ; i++)
        {
            var node = nodes[i % nodes.Count];
            var page = await Expect(node.Send(HttpMethod.Get, $"/api/v1/events?after={after}&limit=50", ServerNode.AdminToken), HttpStatusCode.OK);
            var items = page["items"]!.AsArray();
            foreach (var e in items)
            {
                var seq = e!["seq"]!.GetValue<long>();
                Assert.True(seq > after, $"the feed went back: {seq} after {after}");
                seen.Add(seq);
                after = seq;
            }
            if (items.Count == 0)
            {
                if (stop.IsCancellationRequested)
                {
                    return seen;
                }
                await Task.Delay(20, CancellationToken.None);
            }
        }
    });

    private static async Task<List<long>> CatchUp(Task<List<long>> reader, CancellationTokenSource stop)
    {
        stop.Cancel();
        return await reader;
    }

    private static string? Any<T>(ConcurrentDictionary<string, T> set, Random rng)
    {
        var keys = set.Keys.ToArray();
        return keys.Length == 0 ? null : keys[rng.Next(keys.Length)];
    }

    private void Count(string op, HttpResponseMessage r)
    {
        Assert.True((int)r.StatusCode < 500, $"{op} answered {(int)r.StatusCode}");
        outcomes.AddOrUpdate($"{op}:{(int)r.StatusCode}", 1, (_, n) => n + 1);
    }

    private string Summary() => string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}"));

    private async Task<string> Invite(ServerNode node, string shop, string account, string role, string? country = "GB")
    {
        var b = await Expect(node.Send(HttpMethod.Post, $"/api/v1/shops/{shop}/invitations", tokens[shop], new { accountId = account, role }, country), HttpStatusCode.Created);
        return b["id"]!.GetValue<string>();
    }

    private static async Task<string> Mint(ServerNode node, object body) =>
        (await Expect(node.Send(HttpMethod.Post, "/api/v1/tokens", ServerNode.AdminToken, body), HttpStatusCode.Created))["token"]!.GetValue<string>();

    private static async Task<JsonNode> Body(HttpResponseMessage r) => JsonNode.Parse(await r.Content.ReadAsStringAsync())!;

    private static async Task<JsonNode> Expect(Task<HttpResponseMessage> send, HttpStatusCode expected)
    {
        using var r = await send;
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {(int)expected}, got {(int)r.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<string?> State(string sql) => (await storeRef!.Rows(sql))[0][0] as string;

    private TestStore? storeRef;
}

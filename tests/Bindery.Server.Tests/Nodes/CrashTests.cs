using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Server.Tests.Nodes;

/// <summary>
/// Crash safety: a server process is killed with SIGKILL while clients are writing; after a restart on the same
/// database every write a client saw acknowledged is there, with its event, and every rule still holds. Runs on
/// SQLite (WAL, synchronous=FULL) and, in the suite's PostgreSQL pass, on PostgreSQL.
/// </summary>
public sealed class CrashTests
{
    private const int Workers = 8;
    private const int AckedBeforeKill = 60;
    private static readonly string[] Shops = ["crash-1", "crash-2", "crash-3"];

    [Fact] // TS-B2, TS-B3
    public async Task A_node_killed_mid_load_loses_no_acknowledged_write_and_every_rule_still_holds()
    {
        using var store = TestStore.ForPass();
        var node = await ServerNode.Start("crash-a", store);
        ServerNode? restarted = null;
        try
        {
            var merchants = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var shop in Shops)
            {
                await Ok(node.Send(HttpMethod.Post, "/api/v1/shops", ServerNode.AdminToken,
                    new { id = shop, name = "Shop " + shop, country = "GB", merchantType = "invited", kind = "business" }), HttpStatusCode.Created);
                var token = await Ok(node.Send(HttpMethod.Post, "/api/v1/tokens", ServerNode.AdminToken, new { kind = "merchant", shopId = shop }), HttpStatusCode.Created);
                merchants[shop] = token["token"]!.GetValue<string>();
            }

            var accounts = new ConcurrentBag<string>();
            var invitations = new ConcurrentBag<(string Id, string Shop, string Account)>();
            var interrupted = 0;
            var killing = false;
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
            {
                var rng = new Random(w);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var id = $"acc-{w}-{i}";
                        using var created = await node.Send(HttpMethod.Post, "/api/v1/accounts", ServerNode.AdminToken,
                            new { id, handle = $"crash.{w}.{i}", registrationCountry = "GB", birthDate = "1990-01-01" });
                        if (created.StatusCode != HttpStatusCode.Created)
                        {
                            continue;
                        }
                        accounts.Add(id);
                        var shop = Shops[rng.Next(Shops.Length)];
                        using var invited = await node.Send(HttpMethod.Post, $"/api/v1/shops/{shop}/invitations", merchants[shop],
                            new { accountId = id, role = rng.Next(4) == 0 ? "official" : "channel" });
                        if (invited.StatusCode == HttpStatusCode.Created)
                        {
                            var body = JsonNode.Parse(await invited.Content.ReadAsStringAsync())!;
                            invitations.Add((body["id"]!.GetValue<string>(), shop, id));
                        }
                    }
                    catch (Exception) when (Volatile.Read(ref killing))
                    {
                        // The node died under this request (a refused or reset connection, a timeout, whatever the
                        // socket says): not acknowledged, so nothing is promised about it. Before the kill, any
                        // exception fails the test.
                        Interlocked.Increment(ref interrupted);
                        return;
                    }
                }
            })).ToArray();

            for (var i = 0; i < 1200 && accounts.Count + invitations.Count < AckedBeforeKill; i++)
            {
                await Task.Delay(100);
            }
            Assert.True(accounts.Count + invitations.Count >= AckedBeforeKill, "the load did not get going:\n" + node.Output);
            Volatile.Write(ref killing, true);
            await node.Kill(); // SIGKILL while the workers are sending
            await Task.WhenAll(workers);
            stop.Cancel();
            Assert.True(interrupted > 0, "the kill should cut requests off in flight");

            restarted = await ServerNode.Start("crash-b", store);
            foreach (var id in accounts)
            {
                using var r = await restarted.Send(HttpMethod.Get, $"/api/v1/accounts/{id}", ServerNode.AdminToken);
                Assert.True(r.StatusCode == HttpStatusCode.OK, $"acknowledged account {id} is lost ({r.StatusCode})");
            }
            foreach (var (id, shop, account) in invitations)
            {
                var b = await Ok(restarted.Send(HttpMethod.Get, $"/api/v1/invitations/{id}", ServerNode.AdminToken), HttpStatusCode.OK);
                Assert.Equal(shop, b["shopId"]!.GetValue<string>());
                Assert.Equal(account, b["accountId"]!.GetValue<string>());
                Assert.Equal(1, await store.Count($"SELECT COUNT(*) FROM \"events\" WHERE \"Type\" = 'invitation.sent' AND \"SubjectId\" = '{id}'"));
            }
            await Invariants.AssertRulesHold(store);
        }
        finally
        {
            await node.DisposeAsync();
            if (restarted is not null)
            {
                await restarted.DisposeAsync();
            }
        }
    }

    private static async Task<JsonNode> Ok(Task<HttpResponseMessage> send, HttpStatusCode expected)
    {
        using var r = await send;
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {(int)expected}, got {(int)r.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }
}

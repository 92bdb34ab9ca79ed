using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>Customer-chat routing over HTTP (DY-D5, DY-D4): groups, statuses, fewest-open assignment, queue, reassignment, races.</summary>
public sealed class ChatRoutingTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    /// <summary>An enterprise account (a sub account) with its own creator token.</summary>
    private async Task<HttpClient> SubAccount(World world, string id)
    {
        var r = await world.Admin.PostAsJsonAsync("/api/v1/accounts", new
        {
            id, handle = id.Replace('-', '.'), origin = "douyin", registrationCountry = "CN", birthDate = "1990-01-01", type = "enterprise",
        });
        await Kit.Expect(r, HttpStatusCode.Created);
        var token = await Kit.Expect(await world.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "creator", accountId = id }), HttpStatusCode.Created);
        return factory.As(token["token"].S(), "CN");
    }

    private static async Task<string> Agent(HttpClient merchant, string shopId, string accountId, string group, string status = "online", int? capacity = null)
    {
        var body = await Kit.Expect(await merchant.PostAsJsonAsync($"/api/v1/shops/{shopId}/chat-agents", new { accountId, group, status, capacity }),
            HttpStatusCode.Created);
        return body["id"].S();
    }

    private static async Task<JsonNode> Incoming(HttpClient merchant, string shopId, string customerRef, string group = "sales",
        HttpStatusCode status = HttpStatusCode.Created) =>
        await Kit.Expect(await merchant.PostAsJsonAsync($"/api/v1/shops/{shopId}/conversations", new { customerRef, group }), status);

    private static async Task<JsonNode> SetStatus(HttpClient client, string shopId, string agentId, string status) =>
        await Kit.Expect(await client.PostAsJsonAsync($"/api/v1/shops/{shopId}/chat-agents/{agentId}/status", new { status }), HttpStatusCode.OK);

    private static async Task<Dictionary<string, int>> Loads(HttpClient merchant, string shopId) =>
        (await Kit.Get(merchant, $"/api/v1/shops/{shopId}/chat-agents")).A().ToDictionary(a => a!["id"].S(), a => a!["openConversations"].I());

    [Fact] // DY-D5
    public async Task Conversations_go_to_the_online_agent_of_their_group_with_the_fewest_open_ones_in_turns()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-dy", country: "CN");
        foreach (var id in new[] { "cs-1", "cs-2", "cs-3", "cs-after" })
        {
            await SubAccount(world, id);
        }
        var a1 = await Agent(shop, "shop-dy", "cs-1", "sales");
        var a2 = await Agent(shop, "shop-dy", "cs-2", "sales");
        var busy = await Agent(shop, "shop-dy", "cs-3", "sales", status: "busy");
        var after = await Agent(shop, "shop-dy", "cs-after", "after-sales");

        var first = await Incoming(shop, "shop-dy", "cust-1");
        var second = await Incoming(shop, "shop-dy", "cust-2");
        Assert.Equal(("assigned", "assigned"), (first["state"].S(), second["state"].S()));
        // Both online sales agents were idle: each gets one, never the busy one nor the after-sales one.
        Assert.Equal(new[] { a1, a2 }.Order(), new[] { first["agentId"].S(), second["agentId"].S() }.Order());
        Assert.Equal("cs-" + (first["agentId"].S() == a1 ? "1" : "2"), first["agentAccountId"].S());
        var third = await Incoming(shop, "shop-dy", "cust-3");
        // A tie (one each): the agent assigned longest ago takes the next.
        Assert.Equal(first["agentId"].S(), third["agentId"].S());
        var fourth = await Incoming(shop, "shop-dy", "cust-4");
        Assert.Equal(second["agentId"].S(), fourth["agentId"].S());
        var support = await Incoming(shop, "shop-dy", "cust-5", "after-sales");
        Assert.Equal(after, support["agentId"].S());

        var loads = await Loads(shop, "shop-dy");
        Assert.Equal((2, 2, 0, 1), (loads[a1], loads[a2], loads[busy], loads[after]));

        // The same customer writing again joins the open conversation.
        var again = await Incoming(shop, "shop-dy", "cust-1", status: HttpStatusCode.OK);
        Assert.Equal(first["id"].S(), again["id"].S());
        var events = await Kit.Events(shop);
        Assert.Equal(5, events.Count(e => e["type"].S() == "conversation.assigned"));
    }

    [Fact] // DY-D5
    public async Task With_nobody_online_conversations_queue_and_an_agent_coming_online_takes_them_oldest_first()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-dy", country: "CN");
        var agentClient = await SubAccount(world, "cs-1");
        var agent = await Agent(shop, "shop-dy", "cs-1", "sales", status: "offline", capacity: 2);

        var q1 = await Incoming(shop, "shop-dy", "c-1");
        await world.Advance("PT1M");
        var q2 = await Incoming(shop, "shop-dy", "c-2");
        await world.Advance("PT1M");
        var q3 = await Incoming(shop, "shop-dy", "c-3");
        Assert.Equal(("queued", 1, 2, 3), (q1["state"].S(), q1["queuePosition"].I(), q2["queuePosition"].I(), q3["queuePosition"].I()));
        Assert.Null(q1["agentId"]?.GetValue<string>());

        // The agent itself goes online: it takes the two oldest (its capacity), the third keeps waiting, now first in line.
        var online = await SetStatus(agentClient, "shop-dy", agent, "online");
        Assert.Equal(("online", 2), (online["agent"]!["status"].S(), online["agent"]!["openConversations"].I()));
        Assert.Equal(new[] { q1["id"].S(), q2["id"].S() }, online["moved"].A().Select(c => c!["id"].S()));
        var waiting = await Kit.Get(shop, $"/api/v1/shops/shop-dy/conversations/{q3["id"].S()}");
        Assert.Equal(("queued", 1), (waiting["state"].S(), waiting["queuePosition"].I()));

        // Closing one frees a place: the queued conversation is assigned at once.
        var closed = await Kit.Expect(await agentClient.PostAsync($"/api/v1/shops/shop-dy/conversations/{q1["id"].S()}/close", null), HttpStatusCode.OK);
        Assert.Equal(("closed", "creator:cs-1"), (closed["state"].S(), closed["closedBy"].S()));
        waiting = await Kit.Get(shop, $"/api/v1/shops/shop-dy/conversations/{q3["id"].S()}");
        Assert.Equal(("assigned", agent), (waiting["state"].S(), waiting["agentId"].S()));
        await Kit.Problem(await shop.PostAsync($"/api/v1/shops/shop-dy/conversations/{q1["id"].S()}/close", null), HttpStatusCode.Conflict, "conflict");
    }

    [Fact] // DY-D5
    public async Task An_agent_going_offline_hands_its_conversations_to_the_least_loaded_online_agents_or_back_to_the_queue()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-dy", country: "CN");
        await SubAccount(world, "cs-1");
        await SubAccount(world, "cs-2");
        await SubAccount(world, "cs-3");
        var a1 = await Agent(shop, "shop-dy", "cs-1", "sales");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await Incoming(shop, "shop-dy", $"c-{i}"))["id"].S());
            await world.Advance("PT1M");
        }
        var a2 = await Agent(shop, "shop-dy", "cs-2", "sales", status: "busy");
        var a3 = await Agent(shop, "shop-dy", "cs-3", "sales");
        Assert.Equal(4, (await Loads(shop, "shop-dy"))[a1]);

        // a1 goes offline: only a3 is online (a2 is busy), so a3 takes all four.
        var moved = await SetStatus(shop, "shop-dy", a1, "offline");
        Assert.Equal(4, moved["moved"].A().Count);
        Assert.All(moved["moved"].A(), c => Assert.Equal((a3, 1), (c!["agentId"].S(), c["reassignments"].I())));
        var loads = await Loads(shop, "shop-dy");
        Assert.Equal((0, 0, 4), (loads[a1], loads[a2], loads[a3]));
        Assert.Equal(4, (await Kit.Events(shop)).Count(e => e["type"].S() == "conversation.reassigned" && e["data"]!["fromAgentId"].S() == a1));

        // a2 comes online and takes nothing from a3 (no rebalancing of assigned work) but gets the next one.
        await SetStatus(shop, "shop-dy", a2, "online");
        Assert.Equal(a2, (await Incoming(shop, "shop-dy", "c-new"))["agentId"].S());

        // Busy keeps what it has; offline with nobody else online puts everything back in the queue.
        await SetStatus(shop, "shop-dy", a2, "busy");
        Assert.Equal(a3, (await Incoming(shop, "shop-dy", "c-next"))["agentId"].S());
        Assert.Equal(1, (await Loads(shop, "shop-dy"))[a2]);
        var requeued = await SetStatus(shop, "shop-dy", a3, "offline");
        Assert.All(requeued["moved"].A(), c => Assert.Equal("queued", c!["state"].S()));
        var queued = (await Kit.Get(shop, "/api/v1/shops/shop-dy/conversations?state=queued")).A();
        Assert.Equal(5, queued.Count);
        Assert.Equal(Enumerable.Range(1, 5), queued.Select(c => c!["queuePosition"].I()));
        // The oldest conversations keep their place at the front of the queue.
        Assert.Equal(ids, queued.Take(4).Select(c => c!["id"].S()));
    }

    [Fact] // DY-D5
    public async Task Thirty_two_conversations_arriving_at_once_are_spread_evenly_with_none_lost_or_doubled()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-dy", country: "CN");
        var agents = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await SubAccount(world, $"cs-{i}");
            agents.Add(await Agent(shop, "shop-dy", $"cs-{i}", "sales"));
        }
        const int Racers = 32;
        var clients = Enumerable.Range(0, Racers).Select(_ => world.MerchantOf("shop-dy")).ToArray();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, Racers).Select(async i =>
        {
            await go.Task;
            return await clients[i].PostAsJsonAsync("/api/v1/shops/shop-dy/conversations", new { customerRef = $"customer-{i:00}", group = "sales" });
        }).ToArray();
        go.SetResult();
        var answers = await Task.WhenAll(tasks);

        var assigned = new List<string>();
        foreach (var r in answers)
        {
            var body = await Kit.Expect(r, HttpStatusCode.Created);
            Assert.Equal("assigned", body["state"].S());
            assigned.Add(body["agentId"].S());
        }
        var counts = agents.Select(a => assigned.Count(x => x == a)).ToArray();
        Assert.Equal(Racers, counts.Sum());
        Assert.True(counts.Max() - counts.Min() <= 1, string.Join(",", counts));
        // The stored loads agree with the answers, and every customer has exactly one conversation.
        var loads = await Loads(shop, "shop-dy");
        Assert.Equal(counts, agents.Select(a => loads[a]).ToArray());
        var stored = (await Kit.Get(shop, "/api/v1/shops/shop-dy/conversations?state=open")).A();
        Assert.Equal(Racers, stored.Select(c => c!["customerRef"].S()).Distinct().Count());
    }

    [Fact] // DY-D4, DY-D5
    public async Task Only_enterprise_sub_accounts_serve_and_nobody_else_sees_or_moves_the_shop_chats()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-dy", country: "CN");
        var other = await world.Shop("shop-x", country: "CN");
        var personal = await world.Account("fan", country: "CN");
        var agentClient = await SubAccount(world, "cs-1");
        var otherAgentClient = await SubAccount(world, "cs-2");

        var refused = await Kit.Denied(await shop.PostAsJsonAsync("/api/v1/shops/shop-dy/chat-agents", new { accountId = "fan", group = "sales" }));
        Assert.Equal(["DY-D1"], Kit.RulesOf(refused));
        var a1 = await Agent(shop, "shop-dy", "cs-1", "sales");
        var a2 = await Agent(shop, "shop-dy", "cs-2", "sales", status: "offline");
        await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/shops/shop-dy/chat-agents", new { accountId = "cs-1", group = "sales" }),
            HttpStatusCode.Conflict, "chat_agent_exists");
        var conv = (await Incoming(shop, "shop-dy", "cust-1"))["id"].S();
        var before = await Kit.EventCount(world.Admin);

        // Another shop, a plain creator, or another agent: the shop's chats do not exist for them.
        await Kit.Problem(await other.PostAsJsonAsync("/api/v1/shops/shop-dy/conversations", new { customerRef = "x", group = "sales" }), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await other.GetAsync("/api/v1/shops/shop-dy/chat-agents"), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await personal.GetAsync("/api/v1/shops/shop-dy/conversations"), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await other.PostAsJsonAsync($"/api/v1/shops/shop-dy/chat-agents/{a1}/status", new { status = "offline" }), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await other.PostAsJsonAsync($"/api/v1/shops/shop-x/chat-agents/{a1}/status", new { status = "offline" }), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await otherAgentClient.PostAsJsonAsync($"/api/v1/shops/shop-dy/chat-agents/{a1}/status", new { status = "offline" }), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await otherAgentClient.PostAsync($"/api/v1/shops/shop-dy/conversations/{conv}/close", null), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await other.PostAsync($"/api/v1/shops/shop-x/conversations/{conv}/close", null), HttpStatusCode.NotFound, "not_found");
        // Bad input and an unknown group change nothing either.
        await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/shops/shop-dy/conversations", new { customerRef = "", group = "sales" }), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/shops/shop-dy/conversations", new { customerRef = "c", group = "Sales Team" }), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/shops/shop-dy/conversations", new { customerRef = "c", group = "vip" }), HttpStatusCode.Conflict, "chat_group_unknown");
        await Kit.Problem(await shop.PostAsJsonAsync($"/api/v1/shops/shop-dy/chat-agents/{a1}/status", new { status = "away" }), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/shops/shop-dy/chat-agents", new { accountId = "cs-2", group = "sales", capacity = 0 }), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await shop.GetAsync("/api/v1/shops/shop-dy/conversations?state=lost"), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(before, await Kit.EventCount(world.Admin));

        // The agent sees its own conversations only and sets its own status.
        Assert.Equal([conv], (await Kit.Get(agentClient, "/api/v1/shops/shop-dy/conversations")).A().Select(c => c!["id"].S()));
        Assert.Empty((await Kit.Get(otherAgentClient, "/api/v1/shops/shop-dy/conversations")).A());
        await Kit.Problem(await otherAgentClient.GetAsync($"/api/v1/shops/shop-dy/conversations?agentId={a1}"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("busy", (await SetStatus(agentClient, "shop-dy", a1, "busy"))["agent"]!["status"].S());
        Assert.Contains((await Kit.Events(agentClient)), e => e["type"].S() == "chat_agent.status_changed");
        Assert.Equal("online", (await SetStatus(otherAgentClient, "shop-dy", a2, "online"))["agent"]!["status"].S());
    }
}

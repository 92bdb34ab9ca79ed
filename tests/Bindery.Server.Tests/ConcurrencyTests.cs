using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bindery.Server.Tests;

/// <summary>
/// Races over real HTTP: many clients fire at once and the single-writer pipeline must let exactly one through,
/// refusing the rest with the rule that the winner made fail, and leave data that agrees.
/// </summary>
public sealed class ConcurrencyTests : IDisposable
{
    private const int Racers = 32;

    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    /// <summary>Starts every request together (behind one gate) and waits for all answers.</summary>
    private static async Task<HttpResponseMessage[]> Race(IReadOnlyList<Func<Task<HttpResponseMessage>>> requests)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = requests.Select(async send =>
        {
            await go.Task;
            return await send();
        }).ToArray();
        go.SetResult();
        return await Task.WhenAll(tasks);
    }

    [Fact] // TS-B3, TS-E6
    public async Task One_account_invited_by_32_shops_at_once_gets_exactly_one_invitation()
    {
        var world = new World(factory);
        await world.AccountOnly("star");
        var shopIds = Enumerable.Range(0, Racers).Select(i => $"shop-{i:00}").ToArray();
        foreach (var id in shopIds)
        {
            await world.Shop(id);
        }
        var eventsBefore = await Kit.Events(world.Admin);

        // One HttpClient per shop, each with its own merchant token.
        var clients = shopIds.Select(id => world.MerchantOf(id)).ToArray();
        var answers = await Race(shopIds.Select((id, i) => (Func<Task<HttpResponseMessage>>)(() =>
            clients[i].PostAsJsonAsync($"/api/v1/shops/{id}/invitations", new { accountId = "star", role = "official" }))).ToArray());

        var winners = answers.Select((r, i) => (r, shopIds[i])).Where(x => x.r.StatusCode == HttpStatusCode.Created).ToArray();
        Assert.Single(winners);
        var winnerShop = winners[0].Item2;
        var winnerBody = await Kit.Expect(winners[0].r, HttpStatusCode.Created);
        Assert.Equal(winnerShop, winnerBody["shopId"].S());
        foreach (var (r, shop) in answers.Select((r, i) => (r, shopIds[i])).Where(x => x.Item2 != winnerShop))
        {
            var denial = await Kit.Denied(r, $"invite from {shop}");
            Assert.Equal(["TS-B3"], Kit.RulesOf(denial));
            // The refusal says the account is held elsewhere, but never names another tenant's shop.
            var reason = Kit.Reason(denial, "TS-B3");
            Assert.Equal("account_already_bound_elsewhere", reason["code"].S());
            Assert.DoesNotContain(winnerShop, denial.ToJsonString(), StringComparison.Ordinal);
        }

        // The data agrees: one live invitation of the account, in the winner's shop only.
        var accountBindings = (await Kit.Get(world.Admin, "/api/v1/accounts/star/bindings")).A();
        var only = Assert.Single(accountBindings);
        Assert.Equal(winnerShop, only!["shopId"].S());
        Assert.Equal("invited", only["state"].S());
        foreach (var (id, i) in shopIds.Select((id, i) => (id, i)))
        {
            var bindings = await Kit.Bindings(clients[i], id);
            Assert.Equal(id == winnerShop ? 1 : 0, bindings.Count);
        }
        var eventsAfter = await Kit.Events(world.Admin);
        var added = Assert.Single(eventsAfter.Skip(eventsBefore.Count));
        Assert.Equal("invitation.sent", added["type"].S());
        Assert.Equal(winnerShop, added["shopId"].S());
    }

    [Fact] // TS-B2, TS-B3
    public async Task Thirty_two_accounts_racing_for_a_shops_last_official_slot_fill_it_exactly_once()
    {
        var world = new World(factory);
        await world.Shop("hub"); // invited merchant: 1 official + 4 channel
        var accountIds = Enumerable.Range(0, Racers).Select(i => $"acc-{i:00}").ToArray();
        foreach (var id in accountIds)
        {
            await world.AccountOnly(id);
        }
        var eventsBefore = await Kit.EventCount(world.Admin);

        var clients = accountIds.Select(_ => world.MerchantOf("hub")).ToArray();
        var answers = await Race(accountIds.Select((id, i) => (Func<Task<HttpResponseMessage>>)(() =>
            clients[i].PostAsJsonAsync("/api/v1/shops/hub/invitations", new { accountId = id, role = "official" }))).ToArray());

        var created = answers.Where(r => r.StatusCode == HttpStatusCode.Created).ToArray();
        Assert.Single(created);
        var winner = (await Kit.Expect(created[0], HttpStatusCode.Created))["accountId"].S();
        foreach (var r in answers.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            var denial = await Kit.Denied(r);
            Assert.Equal(["TS-B2"], Kit.RulesOf(denial));
            Assert.Equal("capacity_full", Kit.Reason(denial, "TS-B2")["code"].S());
        }

        var bindings = await Kit.Bindings(world.Admin, "hub");
        var only = Assert.Single(bindings);
        Assert.Equal(winner, only!["accountId"].S());
        Assert.Equal("official", only["role"].S());
        Assert.Equal("invited", only["state"].S());
        var capacity = await Kit.Quota(world.Admin, "hub", "official_capacity");
        Assert.Equal(1, capacity["used"].I());
        Assert.Equal(0, capacity["remaining"].I());
        Assert.Equal(eventsBefore + 1, await Kit.EventCount(world.Admin));
    }

    [Fact] // TS-B2
    public async Task Thirty_two_accounts_racing_for_the_last_channel_slot_fill_it_exactly_once()
    {
        var world = new World(factory);
        var hub = await world.Shop("hub");
        for (var i = 0; i < 3; i++)
        {
            var creator = await world.Account($"held-{i}");
            await world.Bind(hub, "hub", creator, $"held-{i}", "channel");
        }
        var accountIds = Enumerable.Range(0, Racers).Select(i => $"acc-{i:00}").ToArray();
        foreach (var id in accountIds)
        {
            await world.AccountOnly(id);
        }

        var clients = accountIds.Select(_ => world.MerchantOf("hub")).ToArray();
        var answers = await Race(accountIds.Select((id, i) => (Func<Task<HttpResponseMessage>>)(() =>
            clients[i].PostAsJsonAsync("/api/v1/shops/hub/invitations", new { accountId = id, role = "channel" }))).ToArray());

        Assert.Single(answers, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var r in answers.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Assert.Equal(["TS-B2"], Kit.RulesOf(await Kit.Denied(r)));
        }
        var live = await Kit.Bindings(world.Admin, "hub", "live");
        Assert.Equal(4, live.Count);
        Assert.Equal(3, live.Count(b => b!["state"].S() == "active"));
        Assert.Equal(1, live.Count(b => b!["state"].S() == "invited"));
    }

    [Fact] // TS-Q3, TS-Q4
    public async Task Racing_for_the_tenth_channel_bind_in_the_window_lets_exactly_one_through()
    {
        var world = new World(factory);
        var shop = await world.Shop("q3");
        var creators = new Dictionary<string, HttpClient>(StringComparer.Ordinal);
        for (var i = 1; i <= 9; i++)
        {
            creators[$"c{i}"] = await world.Account($"c{i}");
        }

        // Two rounds of four channel binds, each undone after 24 h (TS-Q1), then a ninth bind that stays:
        // nine channel binds inside the 180-day window, one live.
        foreach (var round in new[] { new[] { "c1", "c2", "c3", "c4" }, new[] { "c5", "c6", "c7", "c8" } })
        {
            var ids = new List<string>();
            foreach (var a in round)
            {
                ids.Add(await world.Bind(shop, "q3", creators[a], a, "channel"));
            }
            await world.Advance("PT24H");
            for (var k = 0; k < round.Length; k++)
            {
                await World.Unbind(shop, creators[round[k]], ids[k]);
            }
        }
        await world.Bind(shop, "q3", creators["c9"], "c9", "channel");
        var before = await Kit.Quota(world.Admin, "q3", "channel_binds");
        Assert.Equal(9, before["used"].I());
        Assert.Equal(1, before["remaining"].I());

        var accountIds = Enumerable.Range(0, Racers).Select(i => $"racer-{i:00}").ToArray();
        foreach (var id in accountIds)
        {
            await world.AccountOnly(id);
        }
        var clients = accountIds.Select(_ => world.MerchantOf("q3")).ToArray();
        var answers = await Race(accountIds.Select((id, i) => (Func<Task<HttpResponseMessage>>)(() =>
            clients[i].PostAsJsonAsync("/api/v1/shops/q3/invitations", new { accountId = id, role = "channel" }))).ToArray());

        Assert.Single(answers, r => r.StatusCode == HttpStatusCode.Created);
        // The oldest bind in the window (made at the start) leaves it 180 days later: that is when the quota passes.
        var passesAt = Kit.At(TimeSpan.FromDays(180));
        foreach (var r in answers.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            var denial = await Kit.Denied(r);
            Assert.Equal(["TS-Q3"], Kit.RulesOf(denial));
            Assert.Equal(passesAt, Kit.Reason(denial, "TS-Q3")["passesAt"].S());
        }
        var after = await Kit.Quota(world.Admin, "q3", "channel_binds");
        Assert.Equal(10, after["used"].I());
        Assert.Equal(0, after["remaining"].I());
        Assert.Equal(passesAt, after["nextSlotAt"].S());
        Assert.Equal("0 of 10 channel binds left in any 180 days; next possible on 2026-08-29 08:00 UTC", after["message"].S()); // TS-Q4
        var live = await Kit.Bindings(world.Admin, "q3", "live");
        Assert.Equal(2, live.Count); // c9 active + the one winning invitation
    }

    [Fact] // TS-I2
    public async Task Thirty_two_concurrent_accepts_of_one_invitation_activate_it_once()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.Account("alice");
        var id = await World.Invite(shop, "s1", "alice");
        var eventsBefore = await Kit.EventCount(world.Admin);

        var clients = Enumerable.Range(0, Racers).Select(_ => world.CreatorOf("alice")).ToArray();
        var answers = await Race(clients.Select(c => (Func<Task<HttpResponseMessage>>)(() => c.PostAsync($"/api/v1/invitations/{id}/accept", null))).ToArray());

        Assert.Single(answers, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var r in answers.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            var denial = await Kit.Denied(r);
            Assert.Equal(["TS-I2"], Kit.RulesOf(denial));
            Assert.Equal("invitation_not_pending", Kit.Reason(denial, "TS-I2")["code"].S());
        }
        var events = (await Kit.Events(world.Admin)).Skip(eventsBefore).Select(e => e["type"].S()).ToArray();
        Assert.Equal(["invitation.accepted", "binding.activated"], events);
        var binding = await Kit.Get(world.Admin, $"/api/v1/bindings/{id}");
        Assert.Equal("active", binding["state"].S());
        Assert.Equal(Kit.Iso(BinderyFactory.Start), binding["activatedAt"].S());
    }

    [Fact] // TS-I1, X-2
    public async Task Many_reads_racing_past_a_deadline_all_see_the_expiry_and_record_it_exactly_once()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var clients = Enumerable.Range(0, Racers).Select(_ => world.MerchantOf("s1")).ToArray();
        // Several rounds, since a race shows only sometimes.
        for (var round = 1; round <= 5; round++)
        {
            await world.AccountOnly($"acc-{round}");
            var id = await World.Invite(shop, "s1", $"acc-{round}");

            // Time passes without any write; every read below must see the expiry, and only one may record it.
            factory.Clock.Advance(TimeSpan.FromHours(48));
            var answers = await Race(clients.Select((c, i) => (Func<Task<HttpResponseMessage>>)(() =>
                c.GetAsync(i % 2 == 0 ? "/api/v1/shops/s1/inbox" : $"/api/v1/invitations/{id}"))).ToArray());

            for (var i = 0; i < answers.Length; i++)
            {
                var body = await Kit.Expect(answers[i], HttpStatusCode.OK);
                if (i % 2 == 0)
                {
                    Assert.True(body["items"].A().Count == 0, $"round {round}: an inbox read after the deadline still lists {body["items"]!.ToJsonString()}");
                }
                else
                {
                    Assert.Equal("expired", body["state"].S());
                }
            }
            var expired = (await Kit.Events(world.Admin)).Where(e => e["type"].S() == "invitation.expired" && e["subjectId"].S() == id).ToArray();
            var only = Assert.Single(expired);
            Assert.Equal(Kit.Iso(BinderyFactory.Start + TimeSpan.FromHours(48 * round)), only["at"].S());
        }
        Assert.Equal(5, (await Kit.Get(shop, "/api/v1/shops/s1/history"))["items"].A().Count(h => h!["action"].S() == "invitation.expired"));
    }

    [Fact] // X-5, X-2
    public async Task Concurrent_clock_moves_add_up_and_each_records_the_span_it_moved()
    {
        var world = new World(factory);
        var admins = Enumerable.Range(0, Racers).Select(_ => factory.Admin()).ToArray();

        var answers = await Race(admins.Select(a => (Func<Task<HttpResponseMessage>>)(() =>
            a.PostAsJsonAsync("/api/v1/clock/advance", new { by = "PT1H" }))).ToArray());

        var hours = Enumerable.Range(1, Racers).Select(h => Kit.At(TimeSpan.FromHours(h))).ToArray();
        var answered = new List<string>();
        foreach (var r in answers)
        {
            answered.Add((await Kit.Expect(r, HttpStatusCode.OK))["now"].S());
        }
        Assert.Equal(hours, answered.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(Kit.At(TimeSpan.FromHours(Racers)), (await Kit.Get(world.Admin, "/api/v1/clock"))["now"].S());
        var moves = (await Kit.Events(world.Admin)).Where(e => e["type"].S() == "clock.advanced").ToArray();
        Assert.Equal(hours, moves.Select(e => e["data"]!["to"].S()).ToArray()); // in feed order, one hour each
        Assert.Equal(hours.Prepend(Kit.Iso(BinderyFactory.Start)).Take(Racers).ToArray(), moves.Select(e => e["data"]!["from"].S()).ToArray());
    }
}

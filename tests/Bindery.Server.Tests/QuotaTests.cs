using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bindery.Server.Tests;

/// <summary>TS-Q4, Z-2: the shop sees, before acting, how much of each quota is used and left and when a slot frees.</summary>
public sealed class QuotaTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact] // TS-Q2, TS-Q4, Z-2, TS-U2
    public async Task Official_unbinds_count_up_to_three_for_the_shops_whole_life_then_unlinks_are_refused()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var fresh = await Kit.Quota(shop, "s1", "official_unbinds");
        Assert.Equal(0, fresh["used"].I());
        Assert.Equal(3, fresh["limit"].I());
        Assert.Equal("lifetime", fresh["window"].S());
        Assert.Equal("TS-Q2", fresh["rule"].S());
        Assert.Equal("3 of 3 official unbinds left (lifetime)", fresh["message"].S());

        for (var i = 1; i <= 3; i++)
        {
            var creator = await world.Account($"o{i}");
            var id = await world.Bind(shop, "s1", creator, $"o{i}");
            await world.Advance("PT24H");
            await World.Unbind(shop, creator, id);
            var q = await Kit.Quota(shop, "s1", "official_unbinds");
            Assert.Equal(i, q["used"].I());
            Assert.Equal(3, q["limit"].I());
            Assert.Equal(3 - i, q["remaining"].I());
            Assert.Null(q["nextSlotAt"]); // a lifetime quota never frees by waiting
        }
        var zh = world.MerchantOf("s1", language: "zh-CN");
        Assert.Equal("官方账号解绑次数:历史累计剩余 0/3", (await Kit.Quota(zh, "s1", "official_unbinds"))["message"].S());

        // A fourth official account can still be bound, but no longer unbound.
        var last = await world.Account("o4");
        var fourth = await world.Bind(shop, "s1", last, "o4");
        await world.Advance("PT24H");
        var refused = await Kit.Denied(await last.PostAsJsonAsync($"/api/v1/bindings/{fourth}/unlink-requests", new { reason = "again" }));
        Assert.Equal(["TS-Q2"], Kit.RulesOf(refused));
        Assert.Equal("official_unbinds_used", Kit.Reason(refused, "TS-Q2")["code"].S());
        Assert.Null(refused["passesAt"]);
        Assert.Equal("active", (await Kit.Get(shop, $"/api/v1/bindings/{fourth}"))["state"].S());
    }

    [Fact] // TS-Q3, TS-Q4, Z-2, TS-B2
    public async Task Channel_binds_show_the_180_day_window_and_when_the_oldest_bind_leaves_it()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var empty = await Kit.Quota(shop, "s1", "channel_binds");
        Assert.Equal(0, empty["used"].I());
        Assert.Equal(10, empty["limit"].I());
        Assert.Equal("P180D", empty["window"].S());
        Assert.Null(empty["nextSlotAt"]);

        var c1 = await world.Account("c1");
        await world.Bind(shop, "s1", c1, "c1", "channel");
        await world.Advance("PT5H");
        await world.AccountOnly("c2");
        await World.Invite(shop, "s1", "c2", "channel"); // a pending channel invitation counts as spent

        var quotas = await Kit.Get(shop, "/api/v1/shops/s1/quotas");
        Assert.Equal("s1", quotas["shopId"].S());
        Assert.Equal("tiktok-shop", quotas["policyId"].S());
        Assert.Equal(Kit.At(TimeSpan.FromHours(5)), quotas["asOf"].S());
        Assert.False(quotas["onProbation"].B());
        var binds = quotas["quotas"].A().Single(q => q!["name"].S() == "channel_binds")!;
        Assert.Equal("TS-Q3", binds["rule"].S());
        Assert.Equal(2, binds["used"].I());
        Assert.Equal(8, binds["remaining"].I());
        var frees = Kit.At(TimeSpan.FromDays(180)); // c1 was bound at the start
        Assert.Equal(frees, binds["nextSlotAt"].S());
        Assert.Equal("8 of 10 channel binds left in any 180 days; another slot frees on 2026-08-29 08:00 UTC", binds["message"].S());

        var capacity = quotas["quotas"].A().Single(q => q!["name"].S() == "channel_capacity")!;
        Assert.Equal("TS-B2", capacity["rule"].S());
        Assert.Equal(2, capacity["used"].I());
        Assert.Equal(4, capacity["limit"].I());
        Assert.Equal("at_once", capacity["window"].S());
        var official = quotas["quotas"].A().Single(q => q!["name"].S() == "official_capacity")!;
        Assert.Equal(0, official["used"].I());
        Assert.Equal(1, official["limit"].I());
        Assert.Equal(4, quotas["quotas"].A().Count);
    }

    [Fact] // TS-Q3, TS-Q2, Z-2
    public async Task A_bind_that_was_undone_still_counts_in_the_window_until_it_leaves_it()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var c1 = await world.Account("c1");
        var id = await world.Bind(shop, "s1", c1, "c1", "channel");
        await world.Advance("PT24H");
        await World.Unbind(shop, c1, id);

        var q = await Kit.Quota(shop, "s1", "channel_binds");
        Assert.Equal(1, q["used"].I());
        Assert.Equal(0, (await Kit.Quota(shop, "s1", "channel_capacity"))["used"].I());
        Assert.Equal(0, (await Kit.Quota(shop, "s1", "official_unbinds"))["used"].I()); // TS-Q2 counts official unbinds only

        await world.Advance("P178D"); // now start + 179 days
        Assert.Equal(1, (await Kit.Quota(shop, "s1", "channel_binds"))["used"].I());
        await world.Advance("P1D"); // exactly 180 days after the bind: it has left the window
        var later = await Kit.Quota(shop, "s1", "channel_binds");
        Assert.Equal(0, later["used"].I());
        Assert.Null(later["nextSlotAt"]);
    }
}

using System.Net;
using System.Net.Http.Json;
using Bindery.Server.Features.Admin;

namespace Bindery.Server.Tests;

/// <summary>The demo world holds what the README's support and chat walkthrough uses (X-3, TS-E7, Z-1, DY-D5).</summary>
public sealed class DemoSupportTests : IDisposable
{
    private readonly BinderyFactory factory = new() { Mode = "Demo" };

    public void Dispose() => factory.Dispose();

    [Fact] // X-3, TS-E7, Z-1
    public async Task The_demo_ticket_on_the_refused_invitation_is_in_the_inbox_and_support_can_fix_it()
    {
        var tea = factory.As("demo-merchant-gb-regular");
        var item = (await Kit.Get(tea, "/api/v1/shops/shop-gb-regular/inbox"))["items"].A().Single(i => i!["kind"].S() == "support_ticket")!;
        Assert.Equal(("acc-lea", "staff", Kit.At(TimeSpan.FromHours(24))), (item["accountId"].S(), item["waitingOn"]!["party"].S(), item["waitingOn"]!["dueAt"].S()));
        var ticket = await Kit.Get(tea, $"/api/v1/tickets/{item["id"].S()}");
        Assert.Equal(("refused_invitation", "TS-E3", true), (ticket["subject"].S(), Kit.RulesOf(ticket["blocking"]!).Single(), ticket["blocking"]!["supportCanFixAll"].B()));

        await Kit.Expect(await factory.Admin().PostAsJsonAsync($"/api/v1/tickets/{item["id"].S()}/corrections", new { registrationCountry = "GB" }), HttpStatusCode.OK);
        await Kit.Expect(await tea.PostAsJsonAsync("/api/v1/shops/shop-gb-regular/invitations", new { handle = "lea.paris", role = "official" }), HttpStatusCode.Created);
    }

    [Fact] // DY-D5
    public async Task The_demo_douyin_shop_has_agents_with_the_loads_the_README_shows()
    {
        var dy = factory.As("demo-merchant-dy", country: null);
        var agents = (await Kit.Get(dy, "/api/v1/shops/shop-dy/chat-agents")).A()
            .Select(a => (a!["accountId"].S(), a["group"].S(), a["status"].S(), a["openConversations"].I())).ToArray();
        Assert.Equal([("acc-dy-cs3", "after-sales", "offline", 0), ("acc-dy-cs1", "sales", "online", 2), ("acc-dy-cs2", "sales", "online", 1)], agents);
        var queued = Assert.Single((await Kit.Get(dy, "/api/v1/shops/shop-dy/conversations?state=queued")).A())!;
        Assert.Equal(("buyer-2001", 1), (queued["customerRef"].S(), queued["queuePosition"].I()));
        var next = await Kit.Expect(await dy.PostAsJsonAsync("/api/v1/shops/shop-dy/conversations", new { customerRef = "buyer-1004", group = "sales" }), HttpStatusCode.Created);
        Assert.Equal("acc-dy-cs2", next["agentAccountId"].S());
    }
}

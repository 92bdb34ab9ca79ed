using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>Support tickets over HTTP (X-3, TS-E7, TS-I3, Z-1): open, blocking reasons, corrections, replies, closing, tenancy.</summary>
public sealed class SupportTicketTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static async Task<JsonNode> Open(HttpClient merchant, string shopId, object body, HttpStatusCode status = HttpStatusCode.Created) =>
        await Kit.Expect(await merchant.PostAsJsonAsync($"/api/v1/shops/{shopId}/tickets", body), status);

    [Fact] // X-3, TS-E7, TS-I3, X-1, X-2
    public async Task A_pending_invitation_blocked_by_the_country_is_fixed_by_support_and_then_accepted()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-a");
        var lea = await world.Account("lea");
        var invitation = await World.Invite(shop, "shop-a", "lea");
        // The account's country is found to be France after the invitation was sent: accepting it is now refused (TS-E3).
        await Kit.Expect(await world.Admin.Send(HttpMethod.Patch, "/api/v1/accounts/lea", new { registrationCountry = "FR" }), HttpStatusCode.OK);
        Assert.Equal(["TS-E3"], Kit.RulesOf(await Kit.Denied(await lea.PostAsync($"/api/v1/invitations/{invitation}/accept", null))));

        var ticket = await Open(shop, "shop-a", new { bindingId = invitation, message = "Lea cannot accept our invitation." });
        var id = ticket["id"].S();
        Assert.Equal("pending_invitation", ticket["subject"].S());
        Assert.Equal(("open", invitation, "lea", "official"), (ticket["state"].S(), ticket["bindingId"].S(), ticket["accountId"].S(), ticket["role"].S()));
        var blocking = ticket["blocking"]!;
        Assert.Equal(("accept", true, true), (blocking["action"].S(), blocking["blocked"].B(), blocking["supportCanFixAll"].B()));
        var reason = Assert.Single(blocking["reasons"].A())!;
        Assert.Equal(("TS-E3", true), (reason["rule"].S(), reason["supportCanHelp"].B()));
        Assert.False(string.IsNullOrWhiteSpace(reason["messages"]!["zh-CN"].S()));
        Assert.Equal(new JsonObject { ["party"] = "staff", ["id"] = "support", ["dueAt"] = Kit.At(TimeSpan.FromHours(24)), ["onTimeout"] = "flagged_overdue" }.ToJsonString(),
            ticket["waitingOn"]!.ToJsonString());
        Assert.Equal("Lea cannot accept our invitation.", ticket["messages"]![0]!["body"].S());

        // Support corrects the registration country (TS-E7): kept on the ticket, in the account's history and as an event.
        await world.Advance("PT2H");
        var corrected = await Kit.Expect(await world.Admin.PostAsJsonAsync($"/api/v1/tickets/{id}/corrections",
            new { registrationCountry = "GB", note = "passport checked" }), HttpStatusCode.OK);
        Assert.Equal("waiting_for_merchant", corrected["state"].S());
        Assert.False(corrected["blocking"]!["blocked"].B());
        Assert.Empty(corrected["blocking"]!["reasons"].A());
        var correction = Assert.Single(corrected["corrections"].A())!;
        Assert.Equal(("FR", "GB", "admin"), (correction["before"]!["registrationCountry"].S(), correction["after"]!["registrationCountry"].S(), correction["by"].S()));
        Assert.Equal(("shop", Kit.At(TimeSpan.FromHours(2) + TimeSpan.FromDays(5))), (corrected["waitingOn"]!["party"].S(), corrected["waitingOn"]!["dueAt"].S()));
        Assert.Equal("GB", (await Kit.Get(world.Admin, "/api/v1/accounts/lea"))["registrationCountry"].S());
        var history = (await Kit.Get(world.Admin, "/api/v1/accounts/lea/history"))["items"].A();
        var entry = history.Single(h => h!["action"].S() == "account.corrected_by_support")!;
        Assert.Equal(("admin", "FR", "GB", id), (entry["actor"].S(), entry["before"]!["registrationCountry"].S(), entry["after"]!["registrationCountry"].S(), entry["after"]!["ticketId"].S()));
        var events = await Kit.Events(world.Admin);
        Assert.Contains(events, e => e["type"].S() == "account.corrected" && e["data"]!["ticketId"].S() == id);
        Assert.Contains(events, e => e["type"].S() == "support_ticket.opened" && e["shopId"].S() == "shop-a");

        // Now the creator can accept; the merchant replies and closes the ticket, which keeps who and why.
        await Kit.Expect(await lea.PostAsync($"/api/v1/invitations/{invitation}/accept", null), HttpStatusCode.OK);
        var replied = await Kit.Expect(await shop.PostAsJsonAsync($"/api/v1/tickets/{id}/messages", new { body = "Thanks, it worked." }), HttpStatusCode.OK);
        Assert.Equal("waiting_for_support", replied["state"].S());
        Assert.Equal(["merchant", "merchant"], replied["messages"].A().Select(m => m!["authorRole"].S()));
        var closed = await Kit.Expect(await shop.PostAsJsonAsync($"/api/v1/tickets/{id}/close", new { reason = "solved" }), HttpStatusCode.OK);
        Assert.Equal(("closed", "merchant:shop-a", "solved", Kit.At(TimeSpan.FromHours(2))),
            (closed["state"].S(), closed["closedBy"].S(), closed["closeReason"].S(), closed["closedAt"].S()));
        Assert.Null(closed["waitingOn"]);
        Assert.Equal(["support_ticket.opened", "support_ticket.account_corrected", "support_ticket.replied", "support_ticket.closed"],
            (await Kit.Get(shop, "/api/v1/shops/shop-a/history"))["items"].A().Where(h => h!["subjectType"].S() == "support_ticket").Select(h => h!["action"].S()));

        // A closed ticket takes no more messages (X-3).
        var late = await Kit.Denied(await shop.PostAsJsonAsync($"/api/v1/tickets/{id}/messages", new { body = "one more thing" }));
        Assert.Equal(["X-3"], Kit.RulesOf(late));
    }

    [Fact] // X-3, TS-E7
    public async Task A_refused_invitation_of_a_US_account_shows_that_support_cannot_help_and_a_correction_is_refused()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-a");
        await world.AccountOnly("sam", country: "US");
        var refused = await Kit.Denied(await shop.PostAsJsonAsync("/api/v1/shops/shop-a/invitations", new { accountId = "sam", role = "official" }));
        Assert.False(Kit.Reason(refused, "TS-E3")["supportCanHelp"].B());

        var ticket = await Open(shop, "shop-a", new { handle = "sam", role = "official", message = "Why can we not invite Sam?" });
        Assert.Equal(("refused_invitation", null), (ticket["subject"].S(), ticket["bindingId"]?.GetValue<string>()));
        Assert.Equal(("invite", false), (ticket["blocking"]!["action"].S(), ticket["blocking"]!["supportCanFixAll"].B()));
        Assert.False(Kit.Reason(ticket["blocking"]!, "TS-E3")["supportCanHelp"].B());

        var before = await Kit.EventCount(world.Admin);
        var denied = await Kit.Denied(await world.Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket["id"].S()}/corrections", new { registrationCountry = "GB" }));
        Assert.Equal(["TS-E7"], Kit.RulesOf(denied));
        Assert.Equal("support_cannot_fix_country", denied["reasons"]![0]!["code"].S());
        Assert.Equal("US", (await Kit.Get(world.Admin, "/api/v1/accounts/sam"))["registrationCountry"].S());
        Assert.Equal(before, await Kit.EventCount(world.Admin));
    }

    [Fact] // X-3, TS-E7, TS-E1
    public async Task Support_never_corrects_an_account_in_abnormal_status_nor_any_status()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-a");
        await world.AccountOnly("spam", country: "FR", status: "banned");
        var ticket = await Open(shop, "shop-a", new { accountId = "spam", role = "channel", message = "Please unban" });
        var rules = Kit.RulesOf(ticket["blocking"]!);
        Assert.Contains("TS-E1", rules);
        Assert.False(Kit.Reason(ticket["blocking"]!, "TS-E1")["supportCanHelp"].B());

        var denied = await Kit.Denied(await world.Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket["id"].S()}/corrections",
            new { registrationCountry = "GB", status = "normal" }));
        Assert.Equal("support_cannot_fix_status", Kit.Reason(denied, "TS-E7")["code"].S());
        var account = await Kit.Get(world.Admin, "/api/v1/accounts/spam");
        Assert.Equal(("banned", "FR"), (account["status"].S(), account["registrationCountry"].S()));
        // A status alone is not something a correction can carry.
        await Kit.Problem(await world.Admin.PostAsJsonAsync($"/api/v1/tickets/{ticket["id"].S()}/corrections", new { status = "normal" }),
            HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact] // X-3
    public async Task Nothing_to_fix_or_a_second_ticket_is_refused_and_changes_nothing()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-a");
        await world.AccountOnly("ok");
        await world.AccountOnly("teen", birthDate: "2015-01-01");
        var before = await Kit.EventCount(world.Admin);
        await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/shops/shop-a/tickets", new { accountId = "ok", role = "official", message = "?" }),
            HttpStatusCode.Conflict, "nothing_blocks");
        Assert.Equal(before, await Kit.EventCount(world.Admin));

        var first = await Open(shop, "shop-a", new { accountId = "teen", role = "official", message = "Age is wrong" });
        Assert.Equal("TS-E2", Kit.RulesOf(first["blocking"]!).Single());
        var again = await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/shops/shop-a/tickets", new { accountId = "teen", role = "channel", message = "again" }),
            HttpStatusCode.Conflict, "ticket_already_open");
        Assert.Equal(first["id"].S(), again["ticketId"].S());

        // An invitation that no longer waits is not a pending one.
        await world.AccountOnly("bob");
        var inv = await World.Invite(shop, "shop-a", "bob", "channel");
        await Kit.Expect(await shop.PostAsync($"/api/v1/invitations/{inv}/cancel", null), HttpStatusCode.OK);
        await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/shops/shop-a/tickets", new { bindingId = inv, message = "?" }), HttpStatusCode.Conflict, "binding_not_pending");
        Assert.Single((await Kit.Get(shop, "/api/v1/shops/shop-a/tickets")).A());
    }

    [Fact] // X-3
    public async Task Bad_input_is_answered_with_the_field_and_changes_nothing()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-a");
        await world.AccountOnly("teen", birthDate: "2015-01-01");
        var before = await Kit.EventCount(world.Admin);
        foreach (var (body, field) in new (object, string)[]
        {
            (new { accountId = "teen", role = "official" }, "message"),
            (new { accountId = "teen", role = "official", message = new string('x', 4001) }, "message"),
            (new { accountId = "teen", message = "hi" }, "role"),
            (new { bindingId = "bnd_x", accountId = "teen", role = "official", message = "hi" }, "bindingId"),
            (new { message = "hi", role = "official" }, "accountId"),
            (new { accountId = "teen", role = "boss", message = "hi" }, "role"),
        })
        {
            var problem = await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/shops/shop-a/tickets", body), HttpStatusCode.BadRequest, "validation_failed");
            Assert.True(problem["errors"]![field] is not null, problem.ToJsonString());
        }
        var id = (await Open(shop, "shop-a", new { accountId = "teen", role = "official", message = "hi" }))["id"].S();
        var afterOpen = await Kit.EventCount(world.Admin);
        await Kit.Problem(await world.Admin.PostAsJsonAsync($"/api/v1/tickets/{id}/corrections", new { birthDate = "2099-01-01" }), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await world.Admin.PostAsJsonAsync($"/api/v1/tickets/{id}/corrections", new { registrationCountry = "Britain" }), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await shop.PostAsJsonAsync($"/api/v1/tickets/{id}/close", new { reason = " " }), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await shop.PostAsJsonAsync($"/api/v1/tickets/{id}/messages", new { }), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await world.Admin.GetAsync("/api/v1/support/tickets?waitingOn=creator"), HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await shop.GetAsync("/api/v1/shops/shop-a/tickets?state=lost"), HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(afterOpen, await Kit.EventCount(world.Admin));
        Assert.Equal(before + 1, afterOpen);
    }

    [Fact] // X-3, TS-E7
    public async Task Another_shop_sees_nothing_and_a_merchant_cannot_correct_account_data()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-a");
        var other = await world.Shop("shop-b");
        var creator = await world.Account("teen", birthDate: "2015-01-01");
        var id = (await Open(shop, "shop-a", new { accountId = "teen", role = "official", message = "hi" }))["id"].S();
        var before = await Kit.EventCount(world.Admin);

        await Kit.Problem(await other.GetAsync($"/api/v1/tickets/{id}"), HttpStatusCode.NotFound, "not_found");
        // A creator is not a caller tickets admit (the access gate answers before the ticket is looked up).
        await Kit.Problem(await creator.GetAsync($"/api/v1/tickets/{id}"), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await other.PostAsJsonAsync($"/api/v1/tickets/{id}/messages", new { body = "mine now" }), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await other.PostAsJsonAsync($"/api/v1/tickets/{id}/close", new { reason = "mine now" }), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await other.GetAsync("/api/v1/shops/shop-a/tickets"), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await other.PostAsJsonAsync("/api/v1/shops/shop-a/tickets", new { accountId = "teen", role = "official", message = "x" }), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await shop.PostAsJsonAsync($"/api/v1/tickets/{id}/corrections", new { birthDate = "1990-01-01" }), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await shop.GetAsync("/api/v1/support/tickets"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Empty((await Kit.Get(other, "/api/v1/shops/shop-b/tickets")).A());
        Assert.DoesNotContain((await Kit.Events(other)), e => e["type"].S().StartsWith("support_ticket.", StringComparison.Ordinal));
        Assert.DoesNotContain((await Kit.Events(creator)), e => e["type"].S().StartsWith("support_ticket.", StringComparison.Ordinal));
        Assert.Equal(before, await Kit.EventCount(world.Admin));
        Assert.Equal("2015-01-01", (await Kit.Get(world.Admin, "/api/v1/accounts/teen"))["birthDate"].S());
    }

    [Fact] // Z-1, X-3
    public async Task An_open_ticket_is_in_the_shop_inbox_with_who_must_act_and_by_when_and_is_flagged_when_late()
    {
        var world = new World(factory);
        var shop = await world.Shop("shop-a");
        await world.AccountOnly("teen", birthDate: "2015-01-01");
        var id = (await Open(shop, "shop-a", new { accountId = "teen", role = "official", message = "hi" }))["id"].S();

        var item = (await Kit.Get(shop, "/api/v1/shops/shop-a/inbox"))["items"].A().Single(i => i!["kind"].S() == "support_ticket")!;
        Assert.Equal((id, "teen", "staff", Kit.At(TimeSpan.FromHours(24))),
            (item["id"].S(), item["accountId"].S(), item["waitingOn"]!["party"].S(), item["waitingOn"]!["dueAt"].S()));
        var queue = await Kit.Get(world.Admin, "/api/v1/support/tickets?waitingOn=staff");
        Assert.Equal((1, 0, id), (queue["count"].I(), queue["overdue"].I(), queue["items"]![0]!["id"].S()));

        await world.Advance("PT25H");
        var late = await Kit.Get(world.Admin, $"/api/v1/tickets/{id}");
        Assert.True(late["overdue"].B());
        Assert.Equal(1, (await Kit.Get(world.Admin, "/api/v1/support/tickets"))["overdue"].I());

        // Support answers: now the shop must act, within the merchant target.
        await Kit.Expect(await world.Admin.PostAsJsonAsync($"/api/v1/tickets/{id}/messages", new { body = "Please send the ID card." }), HttpStatusCode.OK);
        item = (await Kit.Get(shop, "/api/v1/shops/shop-a/inbox"))["items"].A().Single(i => i!["kind"].S() == "support_ticket")!;
        Assert.Equal(("shop", "shop-a", Kit.At(TimeSpan.FromHours(25) + TimeSpan.FromDays(5))),
            (item["waitingOn"]!["party"].S(), item["waitingOn"]!["id"].S(), item["waitingOn"]!["dueAt"].S()));
        Assert.Empty((await Kit.Get(world.Admin, "/api/v1/support/tickets?waitingOn=staff"))["items"].A());
        Assert.False((await Kit.Get(shop, $"/api/v1/tickets/{id}"))["overdue"].B());

        await Kit.Expect(await world.Admin.PostAsJsonAsync($"/api/v1/tickets/{id}/close", new { reason = "no answer" }), HttpStatusCode.OK);
        Assert.DoesNotContain((await Kit.Get(shop, "/api/v1/shops/shop-a/inbox"))["items"].A(), i => i!["kind"].S() == "support_ticket");
        Assert.Equal("admin", (await Kit.Get(shop, $"/api/v1/tickets/{id}"))["closedBy"].S());
    }
}

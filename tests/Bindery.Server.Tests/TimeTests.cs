using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>
/// every time rule reads one clock, moved through the API in test mode. Transitions that time alone causes are
/// recorded at the instant they fell due, whenever they are noticed, and reads settle them first.
/// </summary>
public sealed class TimeTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact] // TS-I1, X-5
    public async Task An_invitation_expires_exactly_48_hours_after_it_was_sent_and_cannot_be_accepted_then()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var id = await World.Invite(shop, "s1", "alice");
        var expiresAt = Kit.At(TimeSpan.FromHours(48));
        Assert.Equal(expiresAt, (await Kit.Get(alice, $"/api/v1/invitations/{id}"))["expiresAt"].S());

        await world.Advance("PT47H59M59S");
        Assert.Equal("invited", (await Kit.Get(alice, $"/api/v1/invitations/{id}"))["state"].S());

        await world.Advance("PT1S");
        var expired = await Kit.Get(alice, $"/api/v1/invitations/{id}");
        Assert.Equal("expired", expired["state"].S());
        Assert.Equal(expiresAt, expired["endedAt"].S());
        Assert.Equal("system", expired["endedBy"].S());
        Assert.Equal("invitation_expired", expired["endReason"].S());
        Assert.Null(expired["waitingOn"]);

        var eventsBefore = await Kit.EventCount(world.Admin);
        var accept = await Kit.Denied(await alice.PostAsync($"/api/v1/invitations/{id}/accept", null));
        Assert.Equal(["TS-I1"], Kit.RulesOf(accept));
        Assert.Equal("invitation_expired", Kit.Reason(accept, "TS-I1")["code"].S());
        Assert.Equal(["TS-I1"], Kit.RulesOf(await Kit.Denied(await shop.PostAsync($"/api/v1/invitations/{id}/cancel", null))));
        Assert.Equal(eventsBefore, await Kit.EventCount(world.Admin));

        // The expired invitation no longer holds the account (TS-B3) nor the shop's slot.
        var s2 = await world.Shop("s2");
        await World.Invite(s2, "s2", "alice");
        Assert.Equal(0, (await Kit.Quota(shop, "s1", "official_capacity"))["used"].I());
    }

    [Fact] // TS-I1
    public async Task An_invitation_can_be_accepted_up_to_the_last_second_before_it_expires()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var id = await World.Invite(shop, "s1", "alice");

        await world.Advance("PT47H59M59S");
        var accepted = await Kit.Expect(await alice.PostAsync($"/api/v1/invitations/{id}/accept", null), HttpStatusCode.OK);
        Assert.Equal("active", accepted["state"].S());

        // Nothing expires it afterwards.
        await world.Advance("PT1H");
        Assert.Equal("active", (await Kit.Get(alice, $"/api/v1/invitations/{id}"))["state"].S());
        Assert.DoesNotContain(await Kit.Events(world.Admin), e => e["type"].S() == "invitation.expired");
    }

    [Fact] // TS-I1, X-2, X-1
    public async Task The_expiry_is_recorded_at_the_instant_it_fell_due_even_when_noticed_later()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        var id = await World.Invite(shop, "s1", "alice");

        await world.Advance("PT72H");

        var expiresAt = Kit.At(TimeSpan.FromHours(48));
        var events = await Kit.Events(world.Admin);
        var expired = Assert.Single(events, e => e["type"].S() == "invitation.expired");
        Assert.Equal(expiresAt, expired["at"].S());
        Assert.Equal(id, expired["subjectId"].S());
        Assert.Equal("s1", expired["shopId"].S());
        Assert.Equal("alice", expired["accountId"].S());
        Assert.Equal(id, expired["data"]!["bindingId"].S());
        // Recorded after the clock moved (a higher seq), yet at the due instant.
        var moved = Assert.Single(events, e => e["type"].S() == "clock.advanced");
        Assert.True(expired["seq"]!.GetValue<long>() > moved["seq"]!.GetValue<long>());

        var history = (await Kit.Get(shop, "/api/v1/shops/s1/history"))["items"].A();
        var entry = Assert.Single(history, h => h!["action"].S() == "invitation.expired");
        Assert.Equal(expiresAt, entry!["at"].S());
        Assert.Equal("system", entry["actor"].S());
        Assert.Equal("invited", entry["before"]!["state"].S());
        Assert.Equal("expired", entry["after"]!["state"].S());
    }

    [Fact] // TS-I1, X-5
    public async Task Reads_settle_due_expiries_themselves()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        var id = await World.Invite(shop, "s1", "alice");

        // Move the underlying time source directly: no write runs, the read itself must notice the expiry.
        factory.Clock.Advance(TimeSpan.FromHours(48));

        var inbox = await Kit.Get(shop, "/api/v1/shops/s1/inbox");
        Assert.Empty(inbox["items"].A());
        Assert.Equal("expired", (await Kit.Get(shop, $"/api/v1/invitations/{id}"))["state"].S());
        var expired = Assert.Single(await Kit.Events(shop), e => e["type"].S() == "invitation.expired");
        Assert.Equal(Kit.At(TimeSpan.FromHours(48)), expired["at"].S());
    }

    [Fact] // TS-U4, TS-Q2, TS-Q4, Z-1, Z-2
    public async Task An_unanswered_unlink_request_is_approved_automatically_after_7_days_and_spends_an_unbind()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        var id = await world.Bind(shop, "s1", alice, "alice");
        await world.Advance("PT24H");
        var unlinkId = await World.RequestUnlink(alice, id);
        var autoApproveAt = Kit.At(TimeSpan.FromHours(24) + TimeSpan.FromDays(7));

        var pending = await Kit.Get(alice, $"/api/v1/unlink-requests/{unlinkId}");
        Assert.Equal(autoApproveAt, pending["autoApproveAt"].S());
        Assert.Equal("shop", pending["waitingOn"]!["party"].S());
        Assert.Equal("s1", pending["waitingOn"]!["id"].S());
        Assert.Equal(autoApproveAt, pending["waitingOn"]!["dueAt"].S());
        Assert.Equal("auto_approve", pending["waitingOn"]!["onTimeout"].S());

        await world.Advance("P6DT23H59M59S");
        Assert.Equal("pending", (await Kit.Get(alice, $"/api/v1/unlink-requests/{unlinkId}"))["state"].S());
        Assert.Equal("unlink_requested", (await Kit.Get(shop, $"/api/v1/bindings/{id}"))["state"].S());
        Assert.Equal(0, (await Kit.Quota(shop, "s1", "official_unbinds"))["used"].I());

        await world.Advance("PT1S");
        var decided = await Kit.Get(alice, $"/api/v1/unlink-requests/{unlinkId}");
        Assert.Equal("auto_approved", decided["state"].S());
        Assert.Equal("system", decided["decidedBy"].S());
        Assert.Equal(autoApproveAt, decided["decidedAt"].S());
        Assert.Null(decided["waitingOn"]);
        var binding = await Kit.Get(shop, $"/api/v1/bindings/{id}");
        Assert.Equal("ended", binding["state"].S());
        Assert.Equal("unlink_auto_approved", binding["endReason"].S());
        Assert.Equal("system", binding["endedBy"].S());
        Assert.Equal(autoApproveAt, binding["endedAt"].S());

        var unbinds = await Kit.Quota(shop, "s1", "official_unbinds");
        Assert.Equal(1, unbinds["used"].I());
        Assert.Equal(3, unbinds["limit"].I());
        Assert.Equal(2, unbinds["remaining"].I());
        var ended = Assert.Single(await Kit.Events(shop), e => e["type"].S() == "binding.ended");
        Assert.Equal(autoApproveAt, ended["at"].S());
        Assert.Equal("unlink_auto_approved", ended["data"]!["reason"].S());

        // Too late for the shop to answer now.
        var reject = await Kit.Denied(await shop.PostAsync($"/api/v1/unlink-requests/{unlinkId}/reject", null));
        Assert.Equal(["TS-U1"], Kit.RulesOf(reject));
        Assert.Equal("unlink_not_pending", Kit.Reason(reject, "TS-U1")["code"].S());
        Assert.Null((await Kit.Get(alice, "/api/v1/accounts/alice/binding"))["binding"]);
    }

    [Fact] // TS-Q1
    public async Task An_unlink_request_passes_exactly_24_hours_after_activation()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var alice = await world.Account("alice");
        await world.Advance("PT3H");
        var id = await world.Bind(shop, "s1", alice, "alice");

        await world.Advance("PT23H59M59S");
        var early = await Kit.Denied(await alice.PostAsJsonAsync($"/api/v1/bindings/{id}/unlink-requests", new { reason = "too soon" }));
        Assert.Equal(["TS-Q1"], Kit.RulesOf(early));
        Assert.Equal(Kit.At(TimeSpan.FromHours(27)), early["passesAt"].S());
        Assert.Equal(Kit.At(TimeSpan.FromHours(27)), Kit.Reason(early, "TS-Q1")["passesAt"].S());

        await world.Advance("PT1S");
        await World.RequestUnlink(alice, id);
    }

    [Fact]
    public async Task The_clock_can_be_read_and_only_moves_forward()
    {
        var world = new World(factory);
        var clock = await Kit.Get(world.Admin, "/api/v1/clock");
        Assert.Equal(Kit.Iso(BinderyFactory.Start), clock["now"].S());
        Assert.True(clock["movable"].B());

        var moved = await Kit.Expect(await world.Admin.PostAsJsonAsync("/api/v1/clock/advance", new { by = "PT49H" }), HttpStatusCode.OK);
        Assert.Equal(Kit.At(TimeSpan.FromHours(49)), moved["now"].S());
        await world.Advance("P1D");
        var after = await Kit.Get(world.Admin, "/api/v1/clock");
        Assert.Equal(Kit.At(TimeSpan.FromHours(73)), after["now"].S());
        Assert.Equal("P3DT1H", after["offset"].S());
    }

    [Fact]
    public async Task In_production_mode_the_clock_routes_do_not_exist()
    {
        using var production = new BinderyFactory { Mode = "Production" };
        var admin = production.Admin();

        // The host works and the admin is recognised...
        Assert.NotEmpty((await Kit.Get(admin, "/api/v1/policies")).A());
        // ...but there is no clock to move or read.
        await Kit.Problem(await admin.PostAsJsonAsync("/api/v1/clock/advance", new { by = "PT49H" }), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await admin.GetAsync("/api/v1/clock"), HttpStatusCode.NotFound, "not_found");
        Assert.DoesNotContain(await Kit.Events(admin), e => e["type"].S() == "clock.advanced");
    }
}

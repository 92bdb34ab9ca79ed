using System.Net;
using System.Net.Http.Json;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>Main and sub accounts (DY-D1..D4): who may be authorized, many-to-many, revocation by support only, acting within permissions.</summary>
public sealed class DelegationTests : IDisposable
{
    private readonly BinderyFactory factory = new();
    private readonly AccessKit kit;

    public DelegationTests() => kit = new AccessKit(factory);

    public void Dispose() => factory.Dispose();

    [Fact] // DY-D1
    public async Task Both_parties_must_be_certified_enterprise_accounts_in_normal_status()
    {
        var shop = await kit.Shop("dy1", "boss");
        await kit.AccountOnly("personal", certified: false);
        await kit.AccountOnly("banned", status: "banned");
        await kit.AccountOnly("lapsed", certifiedUntil: Kit.Iso(BinderyFactory.Start.AddDays(-1)));
        await kit.AccountOnly("staff");
        var events = await Kit.EventCount(kit.Admin);

        foreach (var sub in new[] { "personal", "banned", "lapsed" })
        {
            var r = await shop.PostAsJsonAsync("/api/v1/delegations", new { mainAccountId = "boss", subAccountId = sub, permissions = new[] { "bindings.view" } });
            var body = await Kit.Denied(r, sub);
            Assert.Equal(["DY-D1"], Kit.RulesOf(body));
            Assert.Contains(sub, body["detail"].S(), StringComparison.Ordinal);
        }
        Assert.Equal(events, await Kit.EventCount(kit.Admin));

        // The main account's own certification counts too: once lapsed, it cannot authorize anyone new.
        await Kit.Expect(await kit.Admin.PatchAsJsonAsync("/api/v1/accounts/boss", new { certifiedUntil = Kit.Iso(BinderyFactory.Start.AddDays(-1)) }), HttpStatusCode.OK);
        var lapsedMain = await shop.PostAsJsonAsync("/api/v1/delegations", new { mainAccountId = "boss", subAccountId = "staff", permissions = new[] { "chat" } });
        Assert.Equal(["DY-D1"], Kit.RulesOf(await Kit.Denied(lapsedMain)));

        // Renewed: the same request now succeeds.
        await Kit.Expect(await kit.Admin.PatchAsJsonAsync("/api/v1/accounts/boss", new { certifiedUntil = AccessKit.CertifiedUntil }), HttpStatusCode.OK);
        var ok = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/delegations", new { mainAccountId = "boss", subAccountId = "staff", permissions = new[] { "chat" } }),
            HttpStatusCode.Created);
        Assert.True(ok["live"].B());
        Assert.Equal(["chat"], ok["permissions"].A().Select(p => p.S()));
    }

    [Fact] // DY-D4
    public async Task Owner_and_finance_are_not_delegable_and_unknown_permissions_are_refused()
    {
        var shop = await kit.Shop("dy1", "boss");
        await kit.AccountOnly("staff");
        foreach (var permission in new[] { "owner", "finance", "bindings.delete", "" })
        {
            var r = await shop.PostAsJsonAsync("/api/v1/delegations", new { mainAccountId = "boss", subAccountId = "staff", permissions = new[] { permission } });
            await Kit.Problem(r, HttpStatusCode.BadRequest, "validation_failed", permission);
        }
        await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/delegations", new { mainAccountId = "boss", subAccountId = "boss", permissions = new[] { "chat" } }),
            HttpStatusCode.BadRequest, "validation_failed");
        // Only the main account's side authorizes: another shop's merchant cannot authorize for boss.
        var other = await kit.Shop("dy2", "boss2");
        await Kit.Problem(await other.PostAsJsonAsync("/api/v1/delegations", new { mainAccountId = "boss", subAccountId = "staff", permissions = new[] { "chat" } }),
            HttpStatusCode.NotFound, "not_found");
    }

    [Fact] // DY-D2
    public async Task One_sub_serves_many_mains_one_main_has_many_subs_and_an_account_can_be_both()
    {
        var shop1 = await kit.Shop("dy1", "boss1");
        var shop2 = await kit.Shop("dy2", "boss2");
        await kit.AccountOnly("staff-a");
        await kit.AccountOnly("staff-b");
        await AccessKit.Delegate(shop1, "boss1", "staff-a", "bindings.view");
        await AccessKit.Delegate(shop1, "boss1", "staff-b", "bindings.view");
        await AccessKit.Delegate(shop2, "boss2", "staff-a", "bindings.view", "invitations.manage");
        // boss2 is a main (of dy2) and also a sub of boss1.
        await AccessKit.Delegate(shop1, "boss1", "boss2", "history.export");
        // One live authorization per pair.
        var again = await shop1.PostAsJsonAsync("/api/v1/delegations", new { mainAccountId = "boss1", subAccountId = "staff-a", permissions = new[] { "chat" } });
        await Kit.Problem(again, HttpStatusCode.Conflict, "delegation_exists");

        var staffA = await Kit.Get(kit.Admin, "/api/v1/accounts/staff-a/delegations");
        Assert.Equal(["boss1", "boss2"], staffA["asSub"].A().Select(d => d!["mainAccountId"].S()).Order(StringComparer.Ordinal));
        var boss1 = await Kit.Get(shop1, "/api/v1/accounts/boss1/delegations");
        Assert.Equal(["boss2", "staff-a", "staff-b"], boss1["asMain"].A().Select(d => d!["subAccountId"].S()).Order(StringComparer.Ordinal));
        var boss2 = await Kit.Get(kit.Admin, "/api/v1/accounts/boss2/delegations");
        Assert.Single(boss2["asMain"].A());
        Assert.Single(boss2["asSub"].A());

        // staff-a acts for each main's shop with that main's permissions.
        var aFor1 = await kit.Sub("dy1", "staff-a");
        var aFor2 = await kit.Sub("dy2", "staff-a");
        Assert.Equal(["bindings.view"], (await Kit.Get(aFor1, "/api/v1/me"))["permissions"].A().Select(p => p.S()));
        Assert.Equal(["bindings.view", "invitations.manage"], (await Kit.Get(aFor2, "/api/v1/me"))["permissions"].A().Select(p => p.S()));
        await Kit.Get(aFor1, "/api/v1/shops/dy1");
        await Kit.Get(aFor2, "/api/v1/shops/dy2");
        // …and for no other shop.
        await Kit.Problem(await aFor1.GetAsync("/api/v1/shops/dy2"), HttpStatusCode.NotFound, "not_found");
        // A sub token for a shop whose main never authorized the account cannot be minted.
        await Kit.Problem(await kit.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "sub", shopId = "dy2", accountId = "staff-b" }),
            HttpStatusCode.Conflict, "no_delegation");
    }

    [Fact] // DY-D3
    public async Task Authorization_survives_certification_expiry_and_renewal_and_only_support_revokes_it()
    {
        var shop = await kit.Shop("dy1", "boss");
        var staffCreator = await kit.Account("staff");
        var id = await AccessKit.Delegate(shop, "boss", "staff", "bindings.view");
        var sub = await kit.Sub("dy1", "staff");
        await Kit.Get(sub, "/api/v1/shops/dy1");

        // Both certifications lapse: the authorization keeps working.
        await Kit.Expect(await kit.Admin.PostAsJsonAsync("/api/v1/clock/advance", new { by = "P400D" }), HttpStatusCode.OK);
        Assert.Equal(Kit.At(TimeSpan.FromDays(400)), (await Kit.Get(kit.Admin, "/api/v1/clock"))["now"].S());
        await Kit.Get(sub, "/api/v1/shops/dy1");
        Assert.True((await Kit.Get(kit.Admin, $"/api/v1/delegations/{id}"))["live"].B());

        // The annual review renews them: still the same authorization, nothing new needed.
        foreach (var account in new[] { "boss", "staff" })
        {
            await Kit.Expect(await kit.Admin.PatchAsJsonAsync($"/api/v1/accounts/{account}",
                new { certifiedUntil = Kit.Iso(BinderyFactory.Start.AddDays(800)) }), HttpStatusCode.OK);
        }
        await Kit.Get(sub, "/api/v1/shops/dy1");
        var list = await Kit.Get(shop, "/api/v1/accounts/boss/delegations");
        Assert.Equal([id], list["asMain"].A().Select(d => d!["id"].S()));

        // Neither the main, the sub, a reviewer nor the sub's own creator token may revoke; support may.
        var reviewer = await kit.Staff("reviewer");
        foreach (var (who, client) in new[] { ("main", shop), ("sub", sub), ("reviewer", reviewer), ("sub's creator", staffCreator) })
        {
            await Kit.Problem(await client.PostAsJsonAsync($"/api/v1/delegations/{id}/revoke", new { reason = "x" }), HttpStatusCode.Forbidden, "forbidden", who);
        }
        await Kit.Get(sub, "/api/v1/shops/dy1");
        var support = await kit.Staff("support");
        var revoked = await Kit.Expect(await support.PostAsJsonAsync($"/api/v1/delegations/{id}/revoke", new { reason = "staff left" }), HttpStatusCode.OK);
        Assert.False(revoked["live"].B());
        Assert.StartsWith("support:", revoked["revokedBy"].S(), StringComparison.Ordinal);
        // At once on this node: the cached token check is cleared by the revocation.
        await Kit.Problem(await sub.GetAsync("/api/v1/shops/dy1"), HttpStatusCode.Unauthorized, "unauthorized");
        await Kit.Problem(await support.PostAsJsonAsync($"/api/v1/delegations/{id}/revoke", new { reason = "again" }), HttpStatusCode.Conflict, "delegation_revoked");
        var history = (await Kit.Get(kit.Admin, "/api/v1/accounts/staff/history"))["items"].A().Select(h => h!["action"].S()).ToArray();
        Assert.Contains("delegation.authorized", history);
        Assert.Contains("delegation.revoked", history);
    }

    [Fact] // DY-D4, X-1
    public async Task A_sub_acts_for_the_main_shop_within_its_permissions_and_history_names_both()
    {
        var shop = await kit.Shop("dy1", "boss");
        var fan = await kit.Account("fan", certified: false);
        await kit.AccountOnly("staff");
        await AccessKit.Delegate(shop, "boss", "staff", "bindings.view", "invitations.manage");
        var sub = await kit.Sub("dy1", "staff");

        var me = await Kit.Get(sub, "/api/v1/me");
        Assert.Equal("sub", me["kind"].S());
        Assert.Equal("sub:staff for main:boss", me["name"].S());

        // Within its permissions: it invites for the main's shop.
        var invite = await Kit.Expect(await sub.PostAsJsonAsync("/api/v1/shops/dy1/invitations", new { accountId = "fan", role = "showcase" }), HttpStatusCode.Created);
        var sent = (await kit.History("dy1", "invitation.sent")).Single();
        Assert.Equal("sub:staff for main:boss", sent["actor"].S());
        Assert.Equal("main:boss", sent["onBehalfOf"].S());

        // Outside them: history export, finance and owner actions are refused and change nothing.
        var events = await Kit.EventCount(kit.Admin);
        await Kit.Problem(await sub.GetAsync("/api/v1/shops/dy1/history"), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await sub.GetAsync("/api/v1/settlements/attribution?accountId=fan"), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await sub.PostAsJsonAsync("/api/v1/shops/dy1/closure", new { reason = "x" }), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await sub.PostAsJsonAsync("/api/v1/shops/dy1/main-account-changes", new { accountId = "staff" }), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await sub.PostAsJsonAsync("/api/v1/delegations", new { mainAccountId = "boss", subAccountId = "fan", permissions = new[] { "chat" } }),
            HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await sub.PostAsync($"/api/v1/invitations/{invite["id"].S()}/accept", null), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(events, await Kit.EventCount(kit.Admin));
        var denied = await Kit.Problem(await sub.GetAsync("/api/v1/shops/dy1/unbind-applications"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Contains("applications.manage", denied["detail"].S(), StringComparison.Ordinal);

        // The creator token of the same account is a different principal: it does not act for the shop.
        var staffCreator = await kit.Token(new { kind = "creator", accountId = "staff" });
        await Kit.Problem(await staffCreator.PostAsJsonAsync("/api/v1/shops/dy1/invitations", new { accountId = "fan", role = "channel" }),
            HttpStatusCode.Forbidden, "forbidden");
        Assert.Single((await Kit.Get(fan, "/api/v1/accounts/fan/inbox"))["items"].A());
    }

    [Fact] // DY-D4
    public async Task Finance_becomes_delegable_only_when_the_operator_allows_it()
    {
        using var allowing = new BinderyFactory { Settings = { ["Bindery:Delegation:FinanceDelegable"] = "true" } };
        var k = new AccessKit(allowing);
        var shop = await k.Shop("dy1", "boss");
        var star = await k.Account("star", certified: false);
        await AccessKit.Bind(shop, "dy1", star, "star", "showcase");
        await k.AccountOnly("staff");
        await AccessKit.Delegate(shop, "boss", "staff", "finance");
        var sub = await k.Sub("dy1", "staff");
        Assert.Equal(["finance"], (await Kit.Get(sub, "/api/v1/me"))["permissions"].A().Select(p => p.S()));
        Assert.Equal("star", (await Kit.Get(sub, "/api/v1/settlements/attribution?accountId=star"))["accountId"].S());
        // Owner never is.
        await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/delegations", new { mainAccountId = "boss", subAccountId = "star", permissions = new[] { "owner" } }),
            HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact] // DY-D4, DY-M1
    public async Task A_new_main_account_does_not_inherit_the_old_mains_subs()
    {
        var mk = new MainAccountKit(factory);
        var shop = await kit.Shop("dy1", "boss");
        await kit.AccountOnly("staff");
        await mk.Account("heir");
        await AccessKit.Delegate(shop, "boss", "staff", "bindings.view");
        var sub = await kit.Sub("dy1", "staff");
        await Kit.Get(sub, "/api/v1/shops/dy1");

        await mk.Change(shop, "dy1", "heir");
        // The main account changed: the old main's authorization no longer reaches this shop, at once.
        await Kit.Problem(await sub.GetAsync("/api/v1/shops/dy1"), HttpStatusCode.Unauthorized, "unauthorized");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Features.Invitations;
using Bindery.Server.Features.Unlinks;

namespace Bindery.Server.Tests;

/// <summary>Builds a test's own shops, accounts and tokens through the public API.</summary>
public sealed class World(BinderyFactory factory)
{
    private readonly HttpClient admin = factory.Admin();
    private readonly Dictionary<string, (string Token, string Country)> principals = new(StringComparer.Ordinal);

    public HttpClient Admin => admin;

    /// <summary>Creates a shop and returns a client acting as its merchant.</summary>
    public async Task<HttpClient> Shop(string id, string merchantType = "invited", string country = "GB", string kind = "business",
        string? probationEndsAt = null)
    {
        var r = await admin.PostAsJsonAsync("/api/v1/shops", new { id, name = "Shop " + id, country, merchantType, kind, probationEndsAt });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var token = await Mint(new { kind = "merchant", shopId = id });
        principals["shop:" + id] = (token, country);
        return factory.As(token, country);
    }

    /// <summary>Creates an account and returns a client acting as its creator.</summary>
    public async Task<HttpClient> Account(string id, string country = "GB", string birthDate = "1995-01-01", string status = "normal")
    {
        await AccountOnly(id, country, birthDate, status);
        var token = await Mint(new { kind = "creator", accountId = id });
        principals["account:" + id] = (token, country);
        return factory.As(token, country);
    }

    /// <summary>Creates an account without a creator token (for accounts that are only invited).</summary>
    public async Task AccountOnly(string id, string country = "GB", string birthDate = "1995-01-01", string status = "normal")
    {
        var r = await admin.PostAsJsonAsync("/api/v1/accounts", new { id, handle = id.Replace('-', '.'), registrationCountry = country, birthDate, status });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }

    /// <summary>Another client for the merchant of <paramref name="shopId"/> (same token), e.g. to race requests.</summary>
    public HttpClient MerchantOf(string shopId, string? country = null, string? language = null)
    {
        var (token, home) = principals["shop:" + shopId];
        return factory.As(token, country ?? home, language);
    }

    /// <summary>Another client for the creator of <paramref name="accountId"/> (same token).</summary>
    public HttpClient CreatorOf(string accountId, string? country = null, string? language = null)
    {
        var (token, home) = principals["account:" + accountId];
        return factory.As(token, country ?? home, language);
    }

    private async Task<string> Mint(object body)
    {
        var r = await admin.PostAsJsonAsync("/api/v1/tokens", body);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Json())["token"]!.GetValue<string>();
    }

    /// <summary>Invites; returns the invitation (binding) id.</summary>
    public static async Task<string> Invite(HttpClient merchant, string shopId, string accountId, string role = "official")
    {
        var invite = await merchant.PostAsJsonAsync($"/api/v1/shops/{shopId}/invitations", new { accountId, role });
        var body = await Kit.Expect(invite, HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    /// <summary>Invites and accepts; returns the binding id.</summary>
    public async Task<string> Bind(HttpClient merchant, string shopId, HttpClient creator, string accountId, string role = "official")
    {
        var invite = await merchant.PostAsJsonAsync($"/api/v1/shops/{shopId}/invitations", new { accountId, role });
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        var id = (await invite.Json())["id"]!.GetValue<string>();
        var accept = await creator.PostAsync($"/api/v1/invitations/{id}/accept", null);
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        return id;
    }

    /// <summary>The creator asks to unlink; returns the unlink request id.</summary>
    public static async Task<string> RequestUnlink(HttpClient creator, string bindingId)
    {
        var r = await creator.PostAsJsonAsync($"/api/v1/bindings/{bindingId}/unlink-requests", new { reason = "moving on" });
        return (await Kit.Expect(r, HttpStatusCode.Created))["id"]!.GetValue<string>();
    }

    /// <summary>The creator asks to unlink and the shop approves (the binding must be at least 24 h old).</summary>
    public static async Task Unbind(HttpClient merchant, HttpClient creator, string bindingId)
    {
        var unlinkId = await RequestUnlink(creator, bindingId);
        await Kit.Expect(await merchant.PostAsync($"/api/v1/unlink-requests/{unlinkId}/approve", null), HttpStatusCode.OK);
    }

    /// <summary>Moves the service clock forward through the API .</summary>
    public async Task Advance(string by) =>
        await Kit.Expect(await admin.PostAsJsonAsync("/api/v1/clock/advance", new { by }), HttpStatusCode.OK);

    public static async Task<string[]> Rules(HttpResponseMessage r) =>
        (await r.Json())["rules"]!.AsArray().Select(x => x!.GetValue<string>()).ToArray();
}

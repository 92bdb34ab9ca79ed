using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bindery.Server.Tests;

/// <summary>Douyin shops with certified main accounts, sub accounts with delegations, staff tokens and logins, through the public API.</summary>
public sealed class AccessKit(BinderyFactory factory)
{
    public HttpClient Admin { get; } = factory.Admin();

    public BinderyFactory Factory => factory;

    /// <summary>The certification of the kit's enterprise accounts runs one year from the test clock's start.</summary>
    public static readonly string CertifiedUntil = Kit.Iso(BinderyFactory.Start.AddYears(1));

    /// <summary>A Douyin account; certified = a verified enterprise account certified until <see cref="CertifiedUntil"/> (DY-D1).</summary>
    public async Task AccountOnly(string id, bool certified = true, string status = "normal", string? certifiedUntil = null)
    {
        var r = await Admin.PostAsJsonAsync("/api/v1/accounts", new
        {
            id, handle = id.Replace('-', '.'), origin = "douyin", registrationCountry = "CN", birthDate = "1990-01-01", status,
            realNameVerified = true, phone = "+8613800000009",
            type = certified ? "verified_enterprise" : "personal",
            certifiedUntil = certified ? certifiedUntil ?? CertifiedUntil : null,
        });
        await Kit.Expect(r, HttpStatusCode.Created);
    }

    /// <summary>An account and a client acting as its creator.</summary>
    public async Task<HttpClient> Account(string id, bool certified = true)
    {
        await AccountOnly(id, certified);
        return await Token(new { kind = "creator", accountId = id });
    }

    /// <summary>A Douyin enterprise shop whose main account <paramref name="mainAccountId"/> (certified) is created here; its merchant.</summary>
    public async Task<HttpClient> Shop(string id, string mainAccountId)
    {
        await AccountOnly(mainAccountId);
        var r = await Admin.PostAsJsonAsync("/api/v1/shops", new
        {
            id, name = "店铺 " + id, policyId = "douyin", country = "CN", merchantType = "regular", kind = "enterprise", mainAccountId,
        });
        await Kit.Expect(r, HttpStatusCode.Created);
        return await Token(new { kind = "merchant", shopId = id });
    }

    /// <summary>The main authorizes the sub; returns the delegation id.</summary>
    public static async Task<string> Delegate(HttpClient main, string mainAccountId, string subAccountId, params string[] permissions)
    {
        var r = await main.PostAsJsonAsync("/api/v1/delegations", new { mainAccountId, subAccountId, permissions });
        return (await Kit.Expect(r, HttpStatusCode.Created))["id"].S();
    }

    /// <summary>A client acting as <paramref name="subAccountId"/> for the main account of <paramref name="shopId"/>.</summary>
    public Task<HttpClient> Sub(string shopId, string subAccountId) => Token(new { kind = "sub", shopId, accountId = subAccountId });

    public Task<HttpClient> Staff(string kind) => Token(new { kind });

    public async Task<(string Secret, string Id)> Mint(object body)
    {
        var r = await Kit.Expect(await Admin.PostAsJsonAsync("/api/v1/tokens", body), HttpStatusCode.Created);
        return (r["token"].S(), r["details"]!["id"].S());
    }

    public async Task<HttpClient> Token(object body) => factory.As((await Mint(body)).Secret, country: null);

    /// <summary>Invites and accepts; returns the binding id.</summary>
    public static async Task<string> Bind(HttpClient merchant, string shopId, HttpClient creator, string accountId, string role)
    {
        var id = (await Kit.Expect(await merchant.PostAsJsonAsync($"/api/v1/shops/{shopId}/invitations", new { accountId, role }), HttpStatusCode.Created))["id"].S();
        await Kit.Expect(await creator.PostAsync($"/api/v1/invitations/{id}/accept", null), HttpStatusCode.OK);
        return id;
    }

    /// <summary>A client with a cookie jar and no bearer token (the web console's way in).</summary>
    public HttpClient Browser()
    {
        // The host's own address: the in-memory server, or the port Kestrel took when a test asked for a real server.
        using var started = factory.CreateClient();
        return factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true, BaseAddress = started.BaseAddress! });
    }

    public async Task<string> Login(string username, string password, object principal)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(principal))!.AsObject();
        body["username"] = username;
        body["password"] = password;
        return (await Kit.Expect(await Admin.PostAsJsonAsync("/api/v1/logins", body), HttpStatusCode.Created))["id"].S();
    }

    public static Task<HttpResponseMessage> SignIn(HttpClient browser, string username, string password) =>
        browser.PostAsJsonAsync("/api/v1/sessions", new { username, password });

    /// <summary>The shop's history entries of one action.</summary>
    public async Task<List<JsonNode>> History(string shopId, string action) =>
        (await Kit.Get(Admin, $"/api/v1/shops/{shopId}/history?limit=1000"))["items"].A().Where(h => h!["action"].S() == action).Select(h => h!).ToList();
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Bindery.Server.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bindery.Server.Tests;

/// <summary>API tokens, staff roles, cookie sign-in with lockout and CSRF rule.</summary>
public sealed class AuthenticationTests : IDisposable
{
    private readonly BinderyFactory factory = new();
    private readonly AccessKit kit;
    private readonly World world;

    public AuthenticationTests()
    {
        kit = new AccessKit(factory);
        world = new World(factory);
    }

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task Tokens_are_listed_without_secrets_expire_on_the_service_clock_and_stop_at_once_when_revoked()
    {
        await world.Shop("s1");
        var (secret, id) = await kit.Mint(new { kind = "merchant", shopId = "s1", name = "ci script", expiresIn = "PT1H" });
        var client = factory.As(secret);
        await Kit.Get(client, "/api/v1/shops/s1");

        var list = await Kit.Get(kit.Admin, "/api/v1/tokens");
        var text = list.ToJsonString();
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
        var mine = list.A().Single(t => t!["id"].S() == id)!;
        Assert.Equal("ci script", mine["name"].S());
        Assert.Equal(Kit.At(TimeSpan.FromHours(1)), mine["expiresAt"].S());

        // Expiry: the cached check never outlives the token.
        await world.Advance("PT59M");
        await Kit.Get(client, "/api/v1/shops/s1");
        await world.Advance("PT1M");
        await Kit.Problem(await client.GetAsync("/api/v1/shops/s1"), HttpStatusCode.Unauthorized, "unauthorized");

        // Revocation: used a moment ago (so cached), refused right after the revocation.
        var (secret2, id2) = await kit.Mint(new { kind = "merchant", shopId = "s1" });
        var client2 = factory.As(secret2);
        await Kit.Get(client2, "/api/v1/shops/s1");
        await Kit.Expect(await kit.Admin.DeleteAsync($"/api/v1/tokens/{id2}"), HttpStatusCode.OK);
        await Kit.Problem(await client2.GetAsync("/api/v1/shops/s1"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact] // DY-A2, X-3
    public async Task Staff_roles_reach_only_their_desks()
    {
        await world.Shop("s1");
        await world.AccountOnly("alice");
        var reviewer = await kit.Staff("reviewer");
        var support = await kit.Staff("support");

        // A reviewer works the review queue and reads shops, but changes no account, shop, token or policy.
        await Kit.Get(reviewer, "/api/v1/review-queue");
        await Kit.Get(reviewer, "/api/v1/shops/s1");
        await Kit.Problem(await reviewer.PatchAsJsonAsync("/api/v1/accounts/alice", new { registrationCountry = "FR" }), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await reviewer.PostAsJsonAsync("/api/v1/tokens", new { kind = "admin" }), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await reviewer.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "alice", role = "official" }), HttpStatusCode.Forbidden, "forbidden");
        // A support agent corrects account data (TS-E7) but does not review applications nor mint tokens.
        var corrected = await Kit.Expect(await support.PatchAsJsonAsync("/api/v1/accounts/alice", new { registrationCountry = "FR" }), HttpStatusCode.OK);
        Assert.Equal("FR", corrected["registrationCountry"].S());
        var entry = (await Kit.Get(kit.Admin, "/api/v1/accounts/alice/history"))["items"].A().Last()!;
        Assert.Equal("account.updated", entry["action"].S());
        Assert.StartsWith("support:", entry["actor"].S(), StringComparison.Ordinal);
        await Kit.Problem(await support.GetAsync("/api/v1/review-queue"), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await support.GetAsync("/api/v1/tokens"), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await support.PatchAsJsonAsync("/api/v1/shops/s1", new { status = "closed" }), HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal("reviewer", (await Kit.Get(reviewer, "/api/v1/me"))["kind"].S());
    }

    [Fact]
    public async Task No_spelling_of_a_path_and_no_other_authorization_header_lifts_the_csrf_rule()
    {
        // A fresh host on a real Kestrel: the CSRF rule is decided by the scheme that authenticated the caller (the
        // session cookie), whatever the path's spelling, never by a path prefix.
        using var factory = new BinderyFactory();
        factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var w = new World(factory);
        var k = new AccessKit(factory);
        await w.Shop("s1");
        await w.AccountOnly("alice");
        await k.Login("lumen.ops", "correct horse battery", new { kind = "merchant", shopId = "s1" });
        var browser = k.Browser();
        await Kit.Expect(await AccessKit.SignIn(browser, "lumen.ops", "correct horse battery"), HttpStatusCode.OK);
        foreach (var path in new[] { "/api/v1/shops/s1/invitations", "/API/v1/shops/s1/invitations", "/%41pi/V1/Shops/s1/Invitations", "/x/../api//v1/shops/s1/invitations/" })
        {
            var request = AuthorizationMatrixTests.Raw(browser, HttpMethod.Post, path);
            request.Content = JsonContent.Create(new { accountId = "alice", role = "official" });
            request.Headers.Add("X-Client-Country", "GB");
            await Kit.Problem(await browser.SendAsync(request), HttpStatusCode.Forbidden, "csrf_header_missing");
        }
        // Another kind of Authorization header does not make the cookie a bearer credential: the call is unauthenticated.
        var basic = AuthorizationMatrixTests.Raw(browser, HttpMethod.Post, "/api/v1/shops/s1/invitations");
        basic.Content = JsonContent.Create(new { accountId = "alice", role = "official" });
        basic.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", "eDp5");
        await Kit.Problem(await browser.SendAsync(basic), HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Empty(await Kit.Bindings(k.Admin, "s1"));
    }

    [Fact]
    public async Task Cookie_sign_in_carries_the_same_principal_and_changes_need_the_csrf_header()
    {
        await world.Shop("s1");
        await world.AccountOnly("alice");
        await kit.Login("lumen.ops", "correct horse battery", new { kind = "merchant", shopId = "s1" });
        var browser = kit.Browser();

        var signedIn = await AccessKit.SignIn(browser, "Lumen.Ops", "correct horse battery");
        var me = await Kit.Expect(signedIn, HttpStatusCode.OK);
        Assert.Equal("merchant:s1", me["name"].S());
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("bindery_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal("cookie", (await Kit.Get(browser, "/api/v1/me"))["authenticatedBy"].S());
        await Kit.Get(browser, "/api/v1/shops/s1/bindings");
        await Kit.Problem(await browser.GetAsync("/api/v1/shops/s2"), HttpStatusCode.NotFound, "not_found");

        // A change signed in by the cookie alone is refused without the CSRF header, and nothing happens.
        var body = new { accountId = "alice", role = "official" };
        await Kit.Problem(await browser.PostAsJsonAsync("/api/v1/shops/s1/invitations", body), HttpStatusCode.Forbidden, "csrf_header_missing");
        Assert.Empty(await Kit.Bindings(kit.Admin, "s1"));
        var withHeader = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shops/s1/invitations") { Content = JsonContent.Create(body) };
        withHeader.Headers.Add("X-Bindery-Csrf", "1");
        withHeader.Headers.Add("X-Client-Country", "GB");
        await Kit.Expect(await browser.SendAsync(withHeader), HttpStatusCode.Created);
        Assert.Equal("merchant:s1", (await kit.History("s1", "invitation.sent")).Single()["actor"].S());

        var signOut = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/sessions");
        signOut.Headers.Add("X-Bindery-Csrf", "1");
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(signOut)).StatusCode);
        await Kit.Problem(await browser.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_login_for_a_while_and_a_disabled_login_ends_its_sessions()
    {
        await world.Shop("s1");
        var loginId = await kit.Login("ops", "a long password", new { kind = "merchant", shopId = "s1" });
        var browser = kit.Browser();

        await Kit.Problem(await AccessKit.SignIn(browser, "nobody", "a long password"), HttpStatusCode.Unauthorized, "sign_in_failed");
        for (var i = 1; i < 5; i++)
        {
            await Kit.Problem(await AccessKit.SignIn(browser, "ops", "wrong " + i), HttpStatusCode.Unauthorized, "sign_in_failed");
        }
        var locked = await Kit.Problem(await AccessKit.SignIn(browser, "ops", "wrong 5"), (HttpStatusCode)423, "login_locked");
        Assert.Equal(Kit.At(TimeSpan.FromMinutes(15)), locked["lockedUntil"].S());
        // Locked: even the right password is refused until the lock ends.
        await Kit.Problem(await AccessKit.SignIn(browser, "ops", "a long password"), (HttpStatusCode)423, "login_locked");
        Assert.Single((await kit.History("s1", "login.locked")));
        await world.Advance("PT15M");
        await Kit.Expect(await AccessKit.SignIn(browser, "ops", "a long password"), HttpStatusCode.OK);
        await Kit.Get(browser, "/api/v1/shops/s1");

        var logins = await Kit.Get(kit.Admin, "/api/v1/logins");
        Assert.DoesNotContain("password", logins.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        await Kit.Expect(await kit.Admin.PostAsync($"/api/v1/logins/{loginId}/disable", null), HttpStatusCode.OK);
        // The open session ends at its next request; signing in again is refused.
        await Kit.Problem(await browser.GetAsync("/api/v1/shops/s1"), HttpStatusCode.Unauthorized, "unauthorized");
        await Kit.Problem(await AccessKit.SignIn(browser, "ops", "a long password"), HttpStatusCode.Unauthorized, "sign_in_failed");
    }

    [Fact]
    public async Task Logins_need_a_sound_username_and_password_and_a_sub_login_a_live_authorization()
    {
        await world.Shop("s1");
        await Kit.Problem(await kit.Admin.PostAsJsonAsync("/api/v1/logins", new { username = "x", password = "short", kind = "merchant", shopId = "s1" }),
            HttpStatusCode.BadRequest, "validation_failed");
        await Kit.Problem(await kit.Admin.PostAsJsonAsync("/api/v1/logins", new { username = "ops", password = "a long password", kind = "merchant" }),
            HttpStatusCode.BadRequest, "validation_failed");
        await kit.Login("ops", "a long password", new { kind = "merchant", shopId = "s1" });
        await Kit.Problem(await kit.Admin.PostAsJsonAsync("/api/v1/logins", new { username = "OPS", password = "another long one", kind = "reviewer" }),
            HttpStatusCode.Conflict, "username_taken");
        var dy = await kit.Shop("dy1", "boss");
        await kit.AccountOnly("staff");
        await Kit.Problem(await kit.Admin.PostAsJsonAsync("/api/v1/logins", new { username = "staff", password = "a long password", kind = "sub", shopId = "dy1", accountId = "staff" }),
            HttpStatusCode.Conflict, "no_delegation");
        await AccessKit.Delegate(dy, "boss", "staff", "bindings.view");
        await kit.Login("staff", "a long password", new { kind = "sub", shopId = "dy1", accountId = "staff" });
        var browser = kit.Browser();
        var me = await Kit.Expect(await AccessKit.SignIn(browser, "staff", "a long password"), HttpStatusCode.OK);
        Assert.Equal("sub:staff for main:boss", me["name"].S());
        Assert.Equal(["bindings.view"], me["permissions"].A().Select(p => p.S()));
        var csrf = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shops/dy1/invitations") { Content = JsonContent.Create(new { accountId = "boss", role = "channel" }) };
        csrf.Headers.Add("X-Bindery-Csrf", "1");
        await Kit.Problem(await browser.SendAsync(csrf), HttpStatusCode.Forbidden, "forbidden");
    }
}

/// <summary>JWT bearer tokens from an external OpenID Connect issuer, signed in the test.</summary>
public sealed class JwtTests : IDisposable
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);
    private static readonly RSA Rsa = RSA.Create(2048);

    private readonly BinderyFactory hmac = new()
    {
        Settings =
        {
            ["Bindery:Jwt:Issuer"] = "https://id.example.test",
            ["Bindery:Jwt:Audience"] = "bindery",
            ["Bindery:Jwt:SigningKey"] = Convert.ToBase64String(Secret),
        },
    };

    private readonly BinderyFactory rsa = new()
    {
        Settings =
        {
            ["Bindery:Jwt:Issuer"] = "https://id.example.test",
            ["Bindery:Jwt:Audience"] = "bindery",
            ["Bindery:Jwt:SigningKey"] = Rsa.ExportSubjectPublicKeyInfoPem(),
        },
    };

    public void Dispose()
    {
        hmac.Dispose();
        rsa.Dispose();
    }

    private static string Jwt(SigningCredentials key, IDictionary<string, object> claims, string audience = "bindery", string issuer = "https://id.example.test",
        TimeSpan? lifetime = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = BinderyFactory.Start.UtcDateTime,
            NotBefore = BinderyFactory.Start.UtcDateTime,
            Expires = (BinderyFactory.Start + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            SigningCredentials = key,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private static SigningCredentials Hmac(byte[] secret) => new(new SymmetricSecurityKey(secret), SecurityAlgorithms.HmacSha256);

    private static HttpClient With(BinderyFactory f, string jwt)
    {
        var c = f.CreateClient();
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        return c;
    }

    [Fact]
    public async Task A_jwt_from_the_configured_issuer_maps_its_claims_to_a_principal()
    {
        await new World(hmac).Shop("s1");
        var merchant = Jwt(Hmac(Secret), new Dictionary<string, object> { ["sub"] = "u-42", ["bindery_role"] = "merchant", ["bindery_shop"] = "s1" });
        var me = await Kit.Get(With(hmac, merchant), "/api/v1/me");
        Assert.Equal("merchant:s1", me["name"].S());
        await Kit.Get(With(hmac, merchant), "/api/v1/shops/s1/bindings");

        var reviewer = Jwt(Hmac(Secret), new Dictionary<string, object> { ["sub"] = "rita", ["bindery_role"] = "reviewer" });
        Assert.Equal("reviewer:jwt:rita", (await Kit.Get(With(hmac, reviewer), "/api/v1/me"))["name"].S());
        await Kit.Get(With(hmac, reviewer), "/api/v1/review-queue");

        // Refused: another audience, another issuer, another key, a role without its shop, an expired token.
        var claims = new Dictionary<string, object> { ["sub"] = "u-42", ["bindery_role"] = "merchant", ["bindery_shop"] = "s1" };
        foreach (var (why, jwt) in new[]
        {
            ("audience", Jwt(Hmac(Secret), claims, audience: "someone-else")),
            ("issuer", Jwt(Hmac(Secret), claims, issuer: "https://evil.example.test")),
            ("key", Jwt(Hmac(RandomNumberGenerator.GetBytes(32)), claims)),
            ("no shop", Jwt(Hmac(Secret), new Dictionary<string, object> { ["sub"] = "u-42", ["bindery_role"] = "merchant" })),
            ("unknown role", Jwt(Hmac(Secret), new Dictionary<string, object> { ["sub"] = "u-42", ["bindery_role"] = "root" })),
        })
        {
            await Kit.Problem(await With(hmac, jwt).GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized", why);
        }
        await Kit.Expect(await hmac.Admin().PostAsJsonAsync("/api/v1/clock/advance", new { by = "PT2H" }), HttpStatusCode.OK);
        await Kit.Problem(await With(hmac, merchant).GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized", "expired");
    }

    [Fact]
    public async Task An_rsa_signed_jwt_is_checked_against_the_configured_public_key()
    {
        await new World(rsa).Shop("s1");
        var key = new SigningCredentials(new RsaSecurityKey(Rsa), SecurityAlgorithms.RsaSha256);
        var jwt = Jwt(key, new Dictionary<string, object> { ["sub"] = "u-1", ["bindery_role"] = "merchant", ["bindery_shop"] = "s1" });
        Assert.Equal("merchant:s1", (await Kit.Get(With(rsa, jwt), "/api/v1/me"))["name"].S());
        var other = new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)), SecurityAlgorithms.RsaSha256);
        var forged = Jwt(other, new Dictionary<string, object> { ["sub"] = "u-1", ["bindery_role"] = "admin" });
        await Kit.Problem(await With(rsa, forged).GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
    }
}

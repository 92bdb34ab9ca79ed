using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Bindery.Persistence;
using Bindery.Server.Features.Webhooks;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Tests;

/// <summary>
/// Webhook security: destinations must be public addresses (SSRF guard at subscription and at connect time, with the
/// operator's allowance for 127.0.0.1/32 in tests), signing secrets are encrypted at rest with Data Protection and shown
/// once, and a rotation signs with both secrets during its overlap window. No test connects anywhere but 127.0.0.1:
/// refused destinations are refused before any socket is opened, and names resolve through the factory's fake DNS.
/// </summary>
public sealed class WebhookSecurityTests : IAsyncLifetime
{
    private readonly BinderyFactory factory = new()
    {
        Settings = { ["Bindery:Webhooks:PollInterval"] = "00:00:00" }, // the test drives the passes
    };

    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.Start();
        receiver.Now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow;
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        factory.Dispose();
    }

    private Task<DeliveryPass> Pass() => factory.Services.GetRequiredService<WebhookDispatcher>().DeliverDueAsync(CancellationToken.None);

    private static async Task<List<JsonNode>> Deliveries(HttpClient client, string id) =>
        (await Kit.Get(client, $"/api/v1/webhooks/{id}/deliveries?limit=1000"))["items"].A().Select(x => x!).ToList();

    [Theory] // SSRF: every internal range, IPv6, IPv4-mapped IPv6, other spellings and metadata names; nothing is created
    [InlineData("http://169.254.169.254/latest/meta-data/")] // link-local: the metadata service
    [InlineData("http://2852039166/latest/meta-data/")] // the same address as one decimal number
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://METADATA.google.internal./computeMetadata/v1/")]
    [InlineData("http://metadata/computeMetadata/v1/")]
    [InlineData("http://instance-data/latest/")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/")] // unique local (AWS IPv6 metadata)
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://10.255.255.254/hook")]
    [InlineData("http://172.16.0.1/hook")]
    [InlineData("http://172.31.255.254/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://127.0.0.2/hook")] // loopback outside the test's 127.0.0.1/32 allowance
    [InlineData("http://127.255.255.254/hook")]
    [InlineData("http://100.64.0.1/hook")] // CGNAT
    [InlineData("http://100.100.100.200/latest/meta-data/")] // CGNAT: Alibaba Cloud's metadata
    [InlineData("http://224.0.0.1/hook")] // multicast
    [InlineData("http://255.255.255.255/hook")] // broadcast
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[fc00::1]/hook")]
    [InlineData("http://[ff02::1]/hook")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data/")] // IPv4-mapped IPv6
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    [InlineData("http://[::ffff:172.16.0.1]/hook")]
    [InlineData("http://[::ffff:192.168.0.1]/hook")]
    [InlineData("http://[::ffff:127.0.0.2]/hook")]
    [InlineData("http://[::ffff:0.0.0.0]/hook")]
    [InlineData("http://[::ffff:100.64.0.1]/hook")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/hook")] // NAT64 form of 169.254.169.254
    [InlineData("http://internal.example.test/hook")] // a name resolving to a private address
    [InlineData("http://mixed.example.test/hook")] // a name resolving to a public and a private address
    [InlineData("http://loopback6.example.test/hook")] // a name resolving to ::1
    public async Task Subscriptions_to_internal_addresses_and_metadata_hosts_are_refused(string url)
    {
        factory.Dns.Set("internal.example.test", "10.1.2.3");
        factory.Dns.Set("mixed.example.test", "203.0.113.10", "192.168.0.5");
        factory.Dns.Set("loopback6.example.test", "::1");
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var body = await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/webhooks", new { url }), HttpStatusCode.BadRequest, "webhook_destination_forbidden");
        Assert.NotNull(body["errors"]!["url"]);
        Assert.Empty((await Kit.Get(world.Admin, "/api/v1/webhooks")).A());
    }

    [Fact] // SSRF: a name that does not resolve is refused too; public names and addresses and the allowance are accepted
    public async Task Unresolvable_names_are_refused_and_public_or_allowed_destinations_accepted()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var body = await Kit.Problem(await shop.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://nowhere.example.test/hook" }),
            HttpStatusCode.BadRequest, "webhook_destination_unresolvable");
        Assert.Contains("nowhere.example.test", body["errors"]!["url"]![0].S(), StringComparison.Ordinal);

        // Created only, never delivered to (no event follows): no test connects to these.
        factory.Dns.Set("hooks.example.test", "203.0.113.20", "2001:db8::20");
        foreach (var url in new[] { "https://hooks.example.test/bindery", "https://203.0.113.21/hook", "https://[2001:db8::21]/hook",
            receiver.Url("/allowed"), "http://[::ffff:127.0.0.1]:9/allowed-mapped" })
        {
            await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/webhooks", new { url }), HttpStatusCode.Created, url);
        }
    }

    [Fact] // SSRF: the ranges themselves, without HTTP
    public void The_guard_refuses_internal_ranges_and_admits_the_operators_allowance()
    {
        foreach (var a in new[] { "127.0.0.1", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1",
            "100.127.255.254", "0.0.0.0", "224.0.0.251", "255.255.255.255", "::", "::1", "fe80::1", "febf::1", "fc00::1", "fd00:ec2::254",
            "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::ffff:192.168.1.1", "::ffff:100.64.0.1",
            "64:ff9b::7f00:1", "2002:a9fe:a9fe::1", "::10.0.0.1" })
        {
            Assert.True(WebhookDestinations.IsInternal(IPAddress.Parse(a)), a + " must be refused");
        }
        foreach (var a in new[] { "8.8.8.8", "203.0.113.1", "172.32.0.1", "172.15.255.255", "100.128.0.1", "169.255.0.1", "11.0.0.1",
            "2001:db8::1", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808" })
        {
            Assert.False(WebhookDestinations.IsInternal(IPAddress.Parse(a)), a + " is public");
        }
        Assert.True(WebhookDestinations.IsMetadataHost("Metadata.Google.Internal."));

        var guard = new WebhookDestinations(Options.Create(new WebhookOptions { AllowedNetworks = ["127.0.0.1/32", "fd00:1::/64"] }), new FakeDns());
        Assert.True(guard.IsAllowed(IPAddress.Parse("127.0.0.1")));
        Assert.True(guard.IsAllowed(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.True(guard.IsAllowed(IPAddress.Parse("fd00:1::5")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("127.0.0.2")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("fd00:2::5")));
        Assert.True(guard.IsAllowed(IPAddress.Parse("203.0.113.1")));

        // A wrong range refuses to start (Program prints the problem and exits), like the other webhook settings.
        Assert.Empty(new WebhookOptions { AllowedNetworks = ["127.0.0.1/32", "10.0.0.0/8", "::1/128"] }.Problems());
        foreach (var bad in new[] { "127.0.0.1", "10.0.0.1/8", "10.0.0.0/33", "localhost/32", "" })
        {
            Assert.Contains(new WebhookOptions { AllowedNetworks = [bad] }.Problems(), p => p.Contains("AllowedNetworks", StringComparison.Ordinal));
        }
    }

    [Fact] // SSRF at connect time: the connect callback resolves again and opens no socket to a refused address
    public async Task The_connect_callback_refuses_a_destination_that_resolves_to_an_internal_address_now()
    {
        var dns = new FakeDns();
        var guard = new WebhookDestinations(Options.Create(new WebhookOptions { AllowedNetworks = ["127.0.0.1/32"] }), dns);
        var port = new Uri(receiver.Base).Port;
        dns.Set("rebound.example.test", "169.254.169.254");
        var e = await Assert.ThrowsAsync<WebhookDestinationForbiddenException>(async () => await guard.ConnectAsync(new DnsEndPoint("rebound.example.test", 80), CancellationToken.None));
        Assert.Contains("169.254.169.254", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<WebhookDestinationForbiddenException>(async () => await guard.ConnectAsync(new DnsEndPoint("127.0.0.2", port), CancellationToken.None));
        await Assert.ThrowsAsync<WebhookDestinationForbiddenException>(async () => await guard.ConnectAsync(new DnsEndPoint("metadata.google.internal", 80), CancellationToken.None));
        dns.Set("mixed.example.test", "127.0.0.1", "10.0.0.1"); // any refused address refuses the name
        await Assert.ThrowsAsync<WebhookDestinationForbiddenException>(async () => await guard.ConnectAsync(new DnsEndPoint("mixed.example.test", port), CancellationToken.None));

        dns.Set("hooks.example.test", "127.0.0.1"); // inside the allowance: a real connection to the test receiver
        await using var stream = await guard.ConnectAsync(new DnsEndPoint("hooks.example.test", port), CancellationToken.None);
        Assert.True(stream.CanWrite);
    }

    [Fact] // SSRF at connect time, end to end: DNS changes after the subscription; the try fails, nothing is sent
    public async Task A_delivery_to_a_name_that_now_resolves_to_an_internal_address_fails_without_connecting()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        factory.Dns.Set("hooks.example.test", "127.0.0.1");
        var url = $"http://hooks.example.test:{new Uri(receiver.Base).Port}/dns";
        var created = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/webhooks", new { url }), HttpStatusCode.Created);
        receiver.Secrets["/dns"] = created["secret"].S();
        var hook = created["subscription"]!["id"].S();

        factory.Dns.Set("hooks.example.test", "10.0.0.7"); // rebinding: outside the 127.0.0.1/32 allowance
        await world.AccountOnly("alice");
        await World.Invite(shop, "s1", "alice", "official");
        var pass = await Pass();
        Assert.Equal(1, pass.Attempted);
        Assert.Equal(1, pass.Failed);
        Assert.Empty(receiver.Requests);
        var d = Assert.Single(await Deliveries(shop, hook));
        Assert.Equal("pending", d["state"].S());
        Assert.Null(d["lastStatus"]);
        var error = d["lastError"].S();
        Assert.Contains("destination refused", error, StringComparison.Ordinal);
        Assert.Contains("10.0.0.7", error, StringComparison.Ordinal);
        Assert.Equal(error, d["history"]!.A().Single()!["error"].S());

        factory.Dns.Set("hooks.example.test", "127.0.0.1"); // back inside: the retry goes out
        await world.Advance("PT2M");
        Assert.Equal(1, (await Pass()).Delivered);
        Assert.True(Assert.Single(receiver.Requests).SignatureValid);
    }

    [Fact] // secrets at rest: encrypted with Data Protection, shown once, never by a read, and clear rows still sign until encrypted
    public async Task Secrets_are_stored_encrypted_shown_once_and_legacy_clear_secrets_are_encrypted_at_start()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var created = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url("/s1") }), HttpStatusCode.Created);
        var secret = created["secret"].S();
        var hook = created["subscription"]!["id"].S();
        receiver.Secrets["/s1"] = secret;

        var dbs = factory.Services.GetRequiredService<IDbContextFactory<BinderyDb>>();
        await using (var db = await dbs.CreateDbContextAsync())
        {
            var row = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == hook);
            Assert.True(row.SecretProtected);
            Assert.DoesNotContain(secret, row.Secret, StringComparison.Ordinal);
            Assert.DoesNotContain(secret[6..], row.Secret, StringComparison.Ordinal);
            var protector = factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(WebhookSecrets.Purpose);
            Assert.Equal(secret, protector.Unprotect(row.Secret));
            Assert.NotEmpty(await db.DataProtectionKeys.ToListAsync()); // the key ring is in the database
        }
        await world.AccountOnly("alice");
        await World.Invite(shop, "s1", "alice", "official");
        Assert.Equal(1, (await Pass()).Delivered);
        Assert.True(Assert.Single(receiver.Requests).SignatureValid);

        // No read shows the secret again: the subscription, the list, the deliveries, the shop's history.
        foreach (var read in new[] { $"/api/v1/webhooks/{hook}", "/api/v1/webhooks", $"/api/v1/webhooks/{hook}/deliveries", "/api/v1/shops/s1/history?limit=1000" })
        {
            var text = await (await shop.GetAsync(read)).Content.ReadAsStringAsync();
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", text, StringComparison.Ordinal);
        }

        // A secret stored in clear text before migration 0007 (or by an older node) still signs...
        await using (var db = await dbs.CreateDbContextAsync())
        {
            await db.WebhookSubscriptions.Where(s => s.Id == hook)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.Secret, "whsec_legacy").SetProperty(s => s.SecretProtected, false));
        }
        receiver.Secrets["/s1"] = "whsec_legacy";
        await world.AccountOnly("bob");
        await World.Invite(shop, "s1", "bob", "channel");
        await Pass();
        Assert.Equal(2, receiver.Requests.Count);
        Assert.True(receiver.Requests.Last().SignatureValid);

        // ...and the next start encrypts it (what Program runs under the startup lock).
        await using (var db = await dbs.CreateDbContextAsync())
        {
            Assert.Equal(1, await factory.Services.GetRequiredService<WebhookSecrets>().ProtectStoredAsync(db, CancellationToken.None));
            var row = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == hook);
            Assert.True(row.SecretProtected);
            Assert.DoesNotContain("legacy", row.Secret, StringComparison.Ordinal);
        }
        using var restarted = factory.WithWebHostBuilder(_ => { }); // a start with nothing left to encrypt
        _ = restarted.Server;
        await world.AccountOnly("carol");
        await World.Invite(shop, "s1", "carol", "channel");
        await Pass();
        Assert.Equal(3, receiver.Requests.Count);
        Assert.True(receiver.Requests.Last().SignatureValid);
    }

    [Fact] // rotation: the new secret once; both sign during the overlap window, the new one only after it
    public async Task A_rotated_secret_overlaps_with_the_old_one_for_the_window_then_only_the_new_one_signs()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var created = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url("/s1"), eventTypes = new[] { "invitation.sent" } }),
            HttpStatusCode.Created);
        var oldSecret = created["secret"].S();
        var hook = created["subscription"]!["id"].S();
        Assert.Null(created["subscription"]!["secretRotatedAt"]);

        var now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var rotated = await Kit.Expect(await shop.PostAsync($"/api/v1/webhooks/{hook}/rotate-secret", null), HttpStatusCode.OK);
        var newSecret = rotated["secret"].S();
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(oldSecret, newSecret);
        var view = await Kit.Get(shop, $"/api/v1/webhooks/{hook}");
        Assert.Equal(Kit.Iso(now), view["secretRotatedAt"].S());
        Assert.Equal(Kit.Iso(now.AddHours(24)), view["previousSecretExpiresAt"].S()); // the default window
        var text = await (await shop.GetAsync($"/api/v1/webhooks/{hook}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(newSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(oldSecret, text, StringComparison.Ordinal);
        Assert.Single(await new AccessKit(factory).History("s1", "webhook.secret_rotated"));

        // During the window: t=…,v1=new,v1=old; a receiver holding either secret verifies.
        receiver.Secrets["/s1"] = oldSecret;
        await world.AccountOnly("alice");
        await World.Invite(shop, "s1", "alice", "official");
        await world.Advance("PT23H");
        await Pass();
        var during = Assert.Single(receiver.Requests);
        Assert.True(during.SignatureValid);
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$", during.Signature);
        var at = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var body = Encoding.UTF8.GetBytes(during.Body);
        Assert.True(WebhookReceiver.Verify(newSecret, during.Signature, body, at));
        Assert.True(WebhookReceiver.Verify(oldSecret, during.Signature, body, at));
        Assert.StartsWith(WebhookSignature.Sign(newSecret, long.Parse(during.Signature[2..during.Signature.IndexOf(',', StringComparison.Ordinal)],
            System.Globalization.CultureInfo.InvariantCulture), body), during.Signature, StringComparison.Ordinal); // the new one first

        // After it: only the new secret signs.
        await world.Advance("PT2H");
        await world.AccountOnly("bob");
        await World.Invite(shop, "s1", "bob", "channel");
        await Pass();
        var after = receiver.Requests.Last();
        Assert.False(after.SignatureValid); // the receiver still holds the old secret
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", after.Signature);
        at = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        Assert.True(WebhookReceiver.Verify(newSecret, after.Signature, Encoding.UTF8.GetBytes(after.Body), at));
        Assert.False(WebhookReceiver.Verify(oldSecret, after.Signature, Encoding.UTF8.GetBytes(after.Body), at));
    }

    [Fact] // rotation: the window is bounded; PT0S ends the old secret at once; disabled subscriptions are not rotated
    public async Task Rotation_windows_are_bounded_and_a_zero_window_ends_the_old_secret_at_once()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        var created = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url("/s1") }), HttpStatusCode.Created);
        var hook = created["subscription"]!["id"].S();
        var url = $"/api/v1/webhooks/{hook}/rotate-secret";
        foreach (var overlap in new[] { "P8D", "-PT1H", "P1M", "soon" })
        {
            var problem = await Kit.Problem(await shop.PostAsJsonAsync(url, new { overlap }), HttpStatusCode.BadRequest, "validation_failed");
            Assert.NotNull(problem["errors"]!["overlap"]);
        }
        Assert.Null((await Kit.Get(shop, $"/api/v1/webhooks/{hook}"))["secretRotatedAt"]);

        var week = await Kit.Expect(await shop.PostAsJsonAsync(url, new { overlap = "P7D" }), HttpStatusCode.OK);
        var now = factory.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        Assert.Equal(Kit.Iso(now.AddDays(7)), week["subscription"]!["previousSecretExpiresAt"].S());

        var rotated = await Kit.Expect(await shop.PostAsJsonAsync(url, new { overlap = "PT0S" }), HttpStatusCode.OK);
        Assert.Null(rotated["subscription"]!["previousSecretExpiresAt"]);
        receiver.Secrets["/s1"] = rotated["secret"].S();
        await world.AccountOnly("alice");
        await World.Invite(shop, "s1", "alice", "official");
        await Pass();
        var r = Assert.Single(receiver.Requests);
        Assert.True(r.SignatureValid);
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", r.Signature);

        await Kit.Expect(await shop.DeleteAsync($"/api/v1/webhooks/{hook}"), HttpStatusCode.OK);
        await Kit.Problem(await shop.PostAsync(url, null), HttpStatusCode.Conflict, "webhook_disabled");
        await Kit.Problem(await shop.PostAsync("/api/v1/webhooks/whk_nope/rotate-secret", null), HttpStatusCode.NotFound, "not_found");
    }

    [Fact] // ADR 0017: the key ring is in the shared database under one application name, so any node reads another's cookie
    public async Task A_session_cookie_minted_by_one_node_is_accepted_by_another_on_the_same_database()
    {
        var kit = new AccessKit(factory);
        await new World(factory).Shop("s1");
        await kit.Login("ops", "a long password", new { kind = "merchant", shopId = "s1" });
        var signIn = await AccessKit.SignIn(factory.CreateClient(), "ops", "a long password");
        await Kit.Expect(signIn, HttpStatusCode.OK);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("bindery_session=", StringComparison.Ordinal)).Split(';')[0];

        // Another node: its own process state and its own in-memory key ring cache, the same database.
        using var other = factory.WithWebHostBuilder(_ => { });
        var client = other.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("Cookie", cookie);
        var me = await Kit.Expect(await client.SendAsync(request), HttpStatusCode.OK);
        Assert.Equal("cookie", me["authenticatedBy"].S());
        Assert.Equal("s1", me["shopId"].S());

        // A secret protected by one node is read by the other.
        var protectedHere = factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(WebhookSecrets.Purpose).Protect("whsec_x");
        Assert.Equal("whsec_x", other.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(WebhookSecrets.Purpose).Unprotect(protectedHere));
        await using var db = await other.Services.GetRequiredService<IDbContextFactory<BinderyDb>>().CreateDbContextAsync();
        Assert.Single(await db.DataProtectionKeys.ToListAsync()); // one key, made once at the first start, shared
    }
}

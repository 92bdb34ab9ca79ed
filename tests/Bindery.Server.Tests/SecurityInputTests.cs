using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Bindery.Server.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Server.Tests;

/// <summary>
/// The findings of an outside attack run, each as the class of hole it showed: idempotency fingerprints over the whole
/// request (Z-3), every error answer problem+json, bounded request bodies, no control characters in stored text, dates
/// and durations within sane ranges, and 404 for a list under an unknown parent.
/// </summary>
public sealed class SecurityInputTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static Task<HttpResponseMessage> PostKeyed(HttpClient client, string url, HttpContent body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private static StringContent Raw(string text, string mediaType = "application/json") => new(text, Encoding.UTF8, mediaType);

    private static bool Replayed(HttpResponseMessage r) =>
        r.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.SequenceEqual(["true"]);

    // ---- 1. Idempotency fingerprints cover the whole request (Z-3) ----

    [Fact] // Z-3
    public async Task The_same_key_with_another_password_is_422_not_a_replay_and_the_same_body_reformatted_is_a_replay()
    {
        var world = new World(factory);
        await world.Shop("s1");
        var first = await PostKeyed(world.Admin, "/api/v1/logins",
            Raw("{\"username\": \"ops.one\", \"password\": \"correct horse 1\", \"kind\": \"merchant\", \"shopId\": \"s1\"}"), "login-1");
        var firstBody = await Kit.Expect(first, HttpStatusCode.Created);

        var otherPassword = await PostKeyed(world.Admin, "/api/v1/logins",
            Raw("{\"username\": \"ops.one\", \"password\": \"another pass 2\", \"kind\": \"merchant\", \"shopId\": \"s1\"}"), "login-1");
        await Kit.Problem(otherPassword, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
        Assert.False(Replayed(otherPassword));

        // Members in another order, other white space: the same request, so the first answer.
        var reformatted = await PostKeyed(world.Admin, "/api/v1/logins",
            Raw("{ \"shopId\":\"s1\",\"kind\":\"merchant\",\n  \"password\":\"correct horse 1\", \"username\":\"ops.one\" }"), "login-1");
        Assert.Equal(HttpStatusCode.Created, reformatted.StatusCode);
        Assert.True(Replayed(reformatted));
        Assert.Equal(firstBody["id"].S(), (await reformatted.Content.ReadFromJsonAsync<JsonNode>())!["id"].S());

        // A member the command does not keep still counts (the whole body is fingerprinted, not chosen fields).
        var extra = await PostKeyed(world.Admin, "/api/v1/logins",
            Raw("{\"username\": \"ops.one\", \"password\": \"correct horse 1\", \"kind\": \"merchant\", \"shopId\": \"s1\", \"accountId\": null}"), "login-1");
        await Kit.Problem(extra, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");

        // Only the new password signs in (the first request's).
        var browser = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/v1/sessions", new { username = "ops.one", password = "correct horse 1" })).StatusCode);
    }

    [Fact] // Z-3
    public async Task The_same_key_with_another_query_value_is_another_request()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");
        var body = "{\"accountId\": \"alice\", \"role\": \"official\"}";
        Assert.Equal(HttpStatusCode.Created, (await PostKeyed(shop, "/api/v1/shops/s1/invitations", Raw(body), "q-1")).StatusCode);
        var withQuery = await PostKeyed(shop, "/api/v1/shops/s1/invitations?dryRun=true", Raw(body), "q-1");
        await Kit.Problem(withQuery, HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }

    [Fact] // Z-3: an import row is "exists" only when every field it sets matches what is stored
    public async Task A_bulk_account_import_with_another_certification_date_is_no_exists()
    {
        var world = new World(factory);
        object Item(string until) => new { items = new[] { new { id = "c1", handle = "c1", registrationCountry = "GB", birthDate = "1990-01-01", certifiedUntil = until } } };
        var first = await Kit.Expect(await world.Admin.PostAsJsonAsync("/api/v1/bulk/accounts", Item("2027-01-01T00:00:00Z")), HttpStatusCode.OK);
        Assert.Equal("created", first["results"]![0]!["status"].S());
        var same = await Kit.Expect(await world.Admin.PostAsJsonAsync("/api/v1/bulk/accounts", Item("2027-01-01T00:00:00Z")), HttpStatusCode.OK);
        Assert.Equal("exists", same["results"]![0]!["status"].S());
        var other = await Kit.Expect(await world.Admin.PostAsJsonAsync("/api/v1/bulk/accounts", Item("2028-01-01T00:00:00Z")), HttpStatusCode.OK);
        Assert.Equal("failed", other["results"]![0]!["status"].S());
    }

    // ---- 2. Every error answer is problem+json ----

    [Fact]
    public async Task Framework_errors_are_problem_json_405_415_400_404_413_414_431()
    {
        var world = new World(factory);
        await world.Shop("s1");
        var admin = world.Admin;

        await Kit.Problem(await admin.DeleteAsync("/api/v1/shops"), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        await Kit.Problem(await admin.PostAsync("/api/v1/shops", Raw("id=x", "text/plain")), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await Kit.Problem(await admin.PostAsync("/api/v1/shops", Raw("{\"id\": ")), HttpStatusCode.BadRequest, "malformed_request");
        await Kit.Problem(await admin.GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await admin.GetAsync("/api/v1/shops/" + new string('a', 10 * 1024)), HttpStatusCode.RequestUriTooLong, "uri_too_long");
        var big = new HttpRequestMessage(HttpMethod.Get, "/api/v1/shops");
        big.Headers.Add("X-Filler", new string('h', 40 * 1024));
        await Kit.Problem(await admin.SendAsync(big), HttpStatusCode.RequestHeaderFieldsTooLarge, "request_headers_too_large");
    }

    [Fact]
    public async Task A_body_over_the_endpoints_limit_is_413_problem_json_with_a_length_and_chunked()
    {
        var world = new World(factory);
        var admin = world.Admin;
        var huge = "{\"id\": \"s9\", \"name\": \"" + new string('n', 2 * 1024 * 1024) + "\"}";

        var sized = await admin.PostAsync("/api/v1/shops", Raw(huge));
        await Kit.Problem(sized, HttpStatusCode.RequestEntityTooLarge, "request_too_large");

        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/shops") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await Kit.Problem(await admin.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "request_too_large");

        // The bulk endpoints keep a larger limit of their own: 1.5 MiB passes the gate (and is then judged item by item).
        var items = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"{{\"id\": \"b{i}\", \"name\": \"{new string('x', 1500)}\", \"country\": \"GB\", \"merchantType\": \"invited\"}}"));
        var bulk = await admin.PostAsync("/api/v1/bulk/shops", Raw("{\"items\": [" + items + "]}"));
        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, bulk.StatusCode);
        await Kit.Problem(await admin.GetAsync("/api/v1/shops/s9"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public void Endpoints_that_take_more_than_a_mebibyte_say_so_in_their_metadata()
    {
        _ = factory.Server;
        var endpoints = factory.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>().SelectMany(d => d.Endpoints)
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().ToList();
        long? Limit(string pattern) => endpoints.First(e => e.RoutePattern.RawText?.TrimStart('/') == pattern.TrimStart('/'))
            .Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        Assert.Equal(InputGate.BulkBodyLimit, Limit("/api/v1/bulk/shops"));
        Assert.Null(Limit("/api/v1/bindings/{bindingId}/unbind-applications"));
        Assert.Null(Limit("/api/v1/unbind-applications/{id}/evidence"));
        // The console's evidence form (read by the framework) keeps Kestrel's former default.
        Assert.Equal(30_000_000, Limit("console/shops/{shopId}/bindings/{bindingId}/unbind-application"));
    }

    // ---- 4. Control characters are refused in every string, naming the field, on both providers ----

    [Theory]
    [InlineData("\u0000")]
    [InlineData("\u0007")]
    [InlineData("\n")]
    [InlineData("\u0085")]
    [InlineData("\u202e")]
    [InlineData("\u2028")]
    public async Task Control_characters_in_names_are_400_naming_the_field(string bad)
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("alice");

        var create = await world.Admin.PostAsJsonAsync("/api/v1/shops", new { id = "s9", name = "Bad" + bad + "Name", country = "GB", merchantType = "invited" });
        Assert.NotNull((await Kit.Problem(create, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["name"]);
        await Kit.Problem(await world.Admin.GetAsync("/api/v1/shops/s9"), HttpStatusCode.NotFound, "not_found");

        var bulk = await world.Admin.PostAsJsonAsync("/api/v1/bulk/shops", new { items = new[] { new { id = "s8", name = "Bad" + bad, country = "GB", merchantType = "invited" } } });
        Assert.NotNull((await Kit.Problem(bulk, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["items[0].name"]);

        var agent = await shop.PostAsJsonAsync("/api/v1/shops/s1/conversations", new { customerRef = "c" + bad, group = "pre-sale" });
        Assert.NotNull((await Kit.Problem(agent, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["customerRef"]);

        var query = await shop.GetAsync("/api/v1/shops/s1/bindings?state=" + Uri.EscapeDataString("live" + bad));
        Assert.NotNull((await Kit.Problem(query, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["state"]);
        if (bad != "\u0000")
        {
            // (A path decoding to U+0000 never reaches the application: see KestrelInputTests.)
            var route = await world.Admin.GetAsync("/api/v1/accounts/" + Uri.EscapeDataString("al" + bad + "ice"));
            Assert.NotNull((await Kit.Problem(route, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["id"]);
        }
    }

    [Fact]
    public async Task Multi_line_free_text_keeps_line_breaks_and_tabs_but_not_nul_or_bidi_overrides()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.Account("alice");

        var ticket = await shop.PostAsJsonAsync("/api/v1/shops/s1/tickets", new { accountId = "alice", role = "official", message = "line one\r\n\tline two" });
        Assert.True(ticket.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict or HttpStatusCode.Forbidden,
            $"a message with line breaks is not refused as input: {(int)ticket.StatusCode} {await ticket.Content.ReadAsStringAsync()}");
        foreach (var bad in new[] { "\u0000", "\u001b[31m", "\u202e", "\u0090" })
        {
            var r = await shop.PostAsJsonAsync("/api/v1/shops/s1/tickets", new { accountId = "alice", role = "official", message = "hello" + bad });
            Assert.NotNull((await Kit.Problem(r, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["message"]);
        }
        var closure = await shop.PostAsJsonAsync("/api/v1/shops/s1/closure", new { reason = "bye\u0000" });
        Assert.NotNull((await Kit.Problem(closure, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["reason"]);
    }

    // ---- 5. Dates and durations within sane ranges ----

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T00:00:00Z")]
    [InlineData("1899-12-31T23:59:59Z")]
    [InlineData("2200-01-01T00:00:00Z")]
    public async Task Instants_outside_1900_to_2200_are_400_naming_the_field(string at)
    {
        var world = new World(factory);
        await world.Shop("s1");
        await world.AccountOnly("alice");

        var account = await world.Admin.PostAsJsonAsync("/api/v1/accounts",
            new { id = "bob", handle = "bob", registrationCountry = "GB", birthDate = "1990-01-01", certifiedUntil = at });
        Assert.NotNull((await Kit.Problem(account, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["certifiedUntil"]);
        var patch = await world.Admin.Send(HttpMethod.Patch, "/api/v1/accounts/alice", new { certifiedUntil = at });
        Assert.NotNull((await Kit.Problem(patch, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["certifiedUntil"]);
        var shop = await world.Admin.PostAsJsonAsync("/api/v1/shops",
            new { id = "s9", name = "S9", country = "GB", merchantType = "invited", probationEndsAt = at });
        Assert.NotNull((await Kit.Problem(shop, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["probationEndsAt"]);
        var shopPatch = await world.Admin.Send(HttpMethod.Patch, "/api/v1/shops/s1", new { probationEndsAt = at });
        Assert.NotNull((await Kit.Problem(shopPatch, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["probationEndsAt"]);
        var asOf = await world.Admin.GetAsync("/api/v1/accounts/alice/binding?asOf=" + Uri.EscapeDataString(at));
        Assert.NotNull((await Kit.Problem(asOf, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["asOf"]);
    }

    [Theory]
    [InlineData("1899-12-31")]
    [InlineData("0001-01-01")]
    public async Task Birth_dates_before_1900_are_400(string birthDate)
    {
        var world = new World(factory);
        var r = await world.Admin.PostAsJsonAsync("/api/v1/accounts", new { id = "bob", handle = "bob", registrationCountry = "GB", birthDate });
        Assert.NotNull((await Kit.Problem(r, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["birthDate"]);
    }

    [Theory]
    [InlineData("PT0.0000001S")]
    [InlineData("PT59S")]
    [InlineData("PT0S")]
    [InlineData("P3661D")]
    public async Task Token_lifetimes_outside_a_minute_to_ten_years_are_400(string expiresIn)
    {
        var world = new World(factory);
        await world.Shop("s1");
        var r = await world.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "merchant", shopId = "s1", expiresIn });
        Assert.NotNull((await Kit.Problem(r, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["expiresIn"]);
        Assert.Equal(HttpStatusCode.Created,
            (await world.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "merchant", shopId = "s1", expiresIn = "PT1M" })).StatusCode);
    }

    [Fact]
    public async Task The_clock_advances_at_most_ten_years_at_once()
    {
        var world = new World(factory);
        var r = await world.Admin.PostAsJsonAsync("/api/v1/clock/advance", new { by = "P3661D" });
        Assert.NotNull((await Kit.Problem(r, HttpStatusCode.BadRequest, "validation_failed"))["errors"]!["by"]);
    }

    // ---- 6. A list under an unknown parent is 404, never an empty list ----

    [Theory]
    [InlineData("/api/v1/shops/no-such-shop/chat-agents")]
    [InlineData("/api/v1/shops/no-such-shop/conversations")]
    [InlineData("/api/v1/shops/no-such-shop/bindings")]
    [InlineData("/api/v1/shops/no-such-shop/unbind-applications")]
    [InlineData("/api/v1/shops/no-such-shop/tickets")]
    [InlineData("/api/v1/shops/no-such-shop/main-account-changes")]
    [InlineData("/api/v1/shops/no-such-shop/main-account")]
    [InlineData("/api/v1/shops/no-such-shop/history")]
    [InlineData("/api/v1/shops/no-such-shop/quotas")]
    [InlineData("/api/v1/accounts/no-such-account/bindings")]
    [InlineData("/api/v1/accounts/no-such-account/binding")]
    [InlineData("/api/v1/accounts/no-such-account/history")]
    [InlineData("/api/v1/accounts/no-such-account/delegations")]
    [InlineData("/api/v1/webhooks/no-such-hook/deliveries")]
    public async Task A_list_under_an_unknown_parent_is_404_for_the_admin(string url)
    {
        var world = new World(factory);
        await world.Shop("s1");
        await Kit.Problem(await world.Admin.GetAsync(url), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_merchant_asking_for_another_unknown_shops_chat_lists_gets_404()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await Kit.Problem(await shop.GetAsync("/api/v1/shops/no-such-shop/chat-agents"), HttpStatusCode.NotFound, "not_found");
        await Kit.Problem(await shop.GetAsync("/api/v1/shops/no-such-shop/conversations"), HttpStatusCode.NotFound, "not_found");
        // The shop's own empty lists are still empty lists.
        Assert.Empty((await Kit.Get(world.Admin, "/api/v1/shops/s1/chat-agents")).A());
        Assert.Empty((await Kit.Get(world.Admin, "/api/v1/shops/s1/conversations")).A());
    }
}

/// <summary>
/// The same limits against a real Kestrel on 127.0.0.1 (the test server does not parse request lines nor enforce
/// body sizes): raw bytes over a TCP connection.
/// </summary>
public sealed class KestrelInputTests : IAsyncLifetime
{
    private Nodes.TestStore store = null!;
    private Nodes.ServerNode node = null!;

    public async Task InitializeAsync()
    {
        store = Nodes.TestStore.ForPass();
        node = await Nodes.ServerNode.Start("inputs", store);
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        store.Dispose();
    }

    private sealed record RawAnswer(int Status, string Head, string Body)
    {
        public bool IsProblemJson => Head.Contains("Content-Type: application/problem+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Sends <paramref name="head"/> (and then <paramref name="body"/>) and reads the first answer.</summary>
    private async Task<RawAnswer> Send(string head, byte[]? body = null, bool chunked = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, node.Port);
        var stream = client.GetStream();
        stream.ReadTimeout = 30_000;
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head));
        if (body is not null)
        {
            try
            {
                if (chunked)
                {
                    for (var i = 0; i < body.Length; i += 64 * 1024)
                    {
                        var n = Math.Min(64 * 1024, body.Length - i);
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{n:X}\r\n"));
                        await stream.WriteAsync(body.AsMemory(i, n));
                        await stream.WriteAsync("\r\n"u8.ToArray());
                    }
                    await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
                }
                else
                {
                    await stream.WriteAsync(body);
                }
            }
            catch (IOException)
            {
                // The server answered and closed before the whole body was sent: read its answer.
            }
        }
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                break;
            }
            if (n == 0)
            {
                break;
            }
            received.Write(buffer, 0, n);
            var text = Encoding.UTF8.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end > 0)
            {
                var headText = text[..end];
                var length = headText.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(p => int.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault(-1);
                if (length >= 0 && Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= length)
                {
                    break;
                }
            }
        }
        var all = Encoding.UTF8.GetString(received.ToArray());
        var split = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head2 = split < 0 ? all : all[..split];
        var status = int.Parse(head2.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return new RawAnswer(status, head2, split < 0 ? "" : all[(split + 4)..]);
    }

    private static string Get(string target, string extraHeaders = "") =>
        $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {Nodes.ServerNode.AdminToken}\r\n{extraHeaders}Connection: close\r\n\r\n";

    [Fact]
    public async Task A_ten_kilobyte_id_is_414_problem_json()
    {
        var r = await Send(Get("/api/v1/shops/" + new string('a', 10 * 1024)));
        Assert.Equal(414, r.Status);
        Assert.True(r.IsProblemJson, r.Head);
        Assert.Contains("uri_too_long", r.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forty_kilobytes_of_headers_is_431_problem_json()
    {
        var r = await Send(Get("/api/v1/shops", $"X-Filler: {new string('h', 40 * 1024)}\r\n"));
        Assert.Equal(431, r.Status);
        Assert.True(r.IsProblemJson, r.Head);
    }

    [Fact]
    public async Task Control_characters_in_a_path_reaching_the_application_are_400_problem_json()
    {
        var r = await Send(Get("/api/v1/shops/a%01b"));
        Assert.Equal(400, r.Status);
        Assert.True(r.IsProblemJson, r.Head);
        Assert.Contains("validation_failed", r.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_characters_in_a_header_value_are_400_problem_json()
    {
        var r = await Send(Get("/api/v1/shops", "Idempotency-Key: a\u0001b\r\n"));
        Assert.Equal(400, r.Status);
        Assert.True(r.IsProblemJson, r.Head);
        Assert.Contains("Idempotency-Key", r.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_with_an_encoded_nul_is_refused_with_400()
    {
        // Kestrel itself refuses a request target whose path decodes to U+0000, before any application code runs:
        // a protocol-level 400 with an empty body (documented; not reachable by the application).
        var r = await Send(Get("/api/v1/shops/a%00b"));
        Assert.Equal(400, r.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_29_megabyte_body_is_413_problem_json_before_it_is_read(bool chunked)
    {
        var body = Encoding.UTF8.GetBytes("{\"id\": \"s9\", \"name\": \"" + new string('n', 29 * 1024 * 1024) + "\"}");
        var head = $"POST /api/v1/shops HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {Nodes.ServerNode.AdminToken}\r\nContent-Type: application/json\r\n"
            + (chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n") + "Connection: close\r\n\r\n";
        var r = await Send(head, body, chunked);
        Assert.Equal(413, r.Status);
        Assert.True(r.IsProblemJson, r.Head);
        Assert.Contains("request_too_large", r.Body, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Bindery.Server.Features.Access;
using Bindery.Server.Features.Accounts;
using Bindery.Server.Features.Admin;
using Bindery.Server.Features.Bulk;
using Bindery.Server.Features.Chat;
using Bindery.Server.Features.Invitations;
using Bindery.Server.Features.Lifecycle;
using Bindery.Server.Features.MainAccount;
using Bindery.Server.Features.Shops;
using Bindery.Server.Features.Tickets;
using Bindery.Server.Features.Unlinks;
using Bindery.Server.Features.Webhooks;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Server.Tests;

/// <summary>
/// OWASP API1/API5: every /api endpoint declares who may call it, and every endpoint called by a principal of another
/// shop or account, by a sub account lacking the permission, or by staff of a role it does not admit answers 403 or
/// 404 and changes nothing. The endpoints are read from the running host, so a new endpoint is covered (or fails
/// here) without editing a list; a new route parameter or request body is added to <see cref="Scene"/> below.
/// </summary>
public sealed class AuthorizationMatrixTests : IDisposable
{
    /// <summary>Endpoints that answer about the caller itself (their own feed, who they are), so any principal may call them.</summary>
    private static readonly HashSet<string> SelfScoped = new(StringComparer.Ordinal)
    {
        "WhoAmI", "SignOut", "SignIn", "ListEvents", "ListPolicies", "GetPolicy", "GetClock", "ListDemoPrincipals",
        "ListWebhooks", // a merchant lists its own shop's subscriptions: another shop's merchant gets its own (empty) list
    };

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    // The webhook worker stays off: its fan-out would change the store while the matrix checks that nothing does.
    private readonly BinderyFactory factory = new() { Settings = { ["Bindery:Webhooks:PollInterval"] = "00:00:00" } };

    public void Dispose() => factory.Dispose();

    private List<RouteEndpoint> ApiEndpoints()
    {
        factory.StartServer(); // start the host (in memory, or Kestrel when the test asked for it)
        return factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? "").TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .ToList();
    }

    private static string NameOf(RouteEndpoint e) => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? e.RoutePattern.RawText!;

    private static string MethodOf(RouteEndpoint e) => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Single() ?? "GET";

    [Fact] // DY-D4
    public void Every_api_endpoint_declares_who_may_call_it_and_merchant_endpoints_name_a_permission()
    {
        var endpoints = ApiEndpoints();
        Assert.True(endpoints.Count >= 70, $"only {endpoints.Count} endpoints found");
        var undeclared = endpoints.Where(e => e.Metadata.GetMetadata<AccessRequirement>() is null).Select(e => $"{MethodOf(e)} {e.RoutePattern.RawText}").ToList();
        Assert.True(undeclared.Count == 0, "endpoints without .Requires(...) or .Public(): " + string.Join(", ", undeclared));
        var vague = endpoints.Where(e => !SelfScoped.Contains(NameOf(e)) && e.Metadata.GetMetadata<AccessRequirement>() is { } r
                && r.Callers.HasFlag(Callers.Merchant) && r.Permission is null)
            .Select(NameOf).ToList();
        Assert.True(vague.Count == 0, "endpoints admitting merchants without naming the permission a sub account needs: " + string.Join(", ", vague));
        Assert.All(endpoints.Where(e => !SelfScoped.Contains(NameOf(e))), e =>
            Assert.False(e.Metadata.GetMetadata<AccessRequirement>()!.Callers.HasFlag(Callers.Anonymous), NameOf(e) + " is public"));
    }

    /// <summary>The victim's world: a Douyin shop dy-a with every kind of resource, and a TikTok shop tt-a with an unlink request.</summary>
    private sealed class Scene
    {
        public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, HttpClient> Callers { get; } = new(StringComparer.Ordinal);

        /// <summary>The victim shop's own merchant (main account): the positive control.</summary>
        public HttpClient Owner { get; set; } = null!;
    }

    private async Task<Scene> Given()
    {
        var kit = new AccessKit(factory);
        var world = new World(factory);
        var s = new Scene();
        var a = await kit.Shop("dy-a", "boss-a");
        s.Owner = a;
        var star = await kit.Account("star", certified: false);
        var fan = await kit.Account("fan", certified: false);
        s.Ids["binding"] = await AccessKit.Bind(a, "dy-a", star, "star", "official");
        s.Ids["invitation"] = (await Kit.Expect(await a.PostAsJsonAsync("/api/v1/shops/dy-a/invitations", new { accountId = "fan", role = "showcase" }), HttpStatusCode.Created))["id"].S();

        var tt = await world.Shop("tt-a");
        var tia = await world.Account("tia");
        var ttBinding = await world.Bind(tt, "tt-a", tia, "tia");
        await world.Advance("PT24H");
        s.Ids["unlink"] = await World.RequestUnlink(tia, ttBinding);

        var form = new MultipartFormDataContent
        {
            { new StringContent("wrong_account"), "reason" },
            { new StringContent("李雷"), "contactName" },
            { new StringContent("+8613800000000"), "contactPhone" },
        };
        var pdf = new ByteArrayContent(Pdf);
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(pdf, "business_licence", "licence.pdf");
        var app = await Kit.Expect(await a.PostAsync($"/api/v1/bindings/{s.Ids["binding"]}/unbind-applications", form), HttpStatusCode.Created);
        s.Ids["application"] = app["id"].S();
        s.Ids["file"] = app["files"].A()[0]!["id"].S();

        await kit.AccountOnly("heir-a");
        s.Ids["change"] = (await MainAccountKit.Start(a, "dy-a", "heir-a"))["id"].S();
        await kit.AccountOnly("sub-a");
        s.Ids["delegation"] = await AccessKit.Delegate(a, "boss-a", "sub-a", "chat");
        s.Ids["login"] = await kit.Login("ops-a", "a long password", new { kind = "merchant", shopId = "dy-a" });
        s.Ids["token"] = (await kit.Mint(new { kind = "merchant", shopId = "dy-a" })).Id;
        s.Ids["ticket"] = (await Kit.Expect(await a.PostAsJsonAsync("/api/v1/shops/dy-a/tickets", new { bindingId = s.Ids["invitation"], message = "why?" }),
            HttpStatusCode.Created))["id"].S();
        s.Ids["agent"] = (await Kit.Expect(await a.PostAsJsonAsync("/api/v1/shops/dy-a/chat-agents", new { accountId = "sub-a", group = "sales", status = "online" }),
            HttpStatusCode.Created))["id"].S();
        s.Ids["conversation"] = (await Kit.Expect(await a.PostAsJsonAsync("/api/v1/shops/dy-a/conversations", new { customerRef = "buyer-1", group = "sales" }),
            HttpStatusCode.Created))["id"].S();
        s.Ids["webhook"] = (await Kit.Expect(await a.PostAsJsonAsync("/api/v1/webhooks", new { shopId = "dy-a", url = "http://127.0.0.1:9/hook" }),
            HttpStatusCode.Created))["subscription"]!["id"].S();

        s.Callers["merchant of another shop"] = await kit.Shop("dy-b", "boss-b");
        s.Callers["creator of another account"] = await kit.Account("stranger", certified: false);
        s.Callers["sub account lacking the permission"] = await kit.Sub("dy-a", "sub-a");
        s.Callers["reviewer"] = await kit.Staff("reviewer");
        s.Callers["support"] = await kit.Staff("support");
        return s;
    }

    private static string Url(RouteEndpoint e, Scene s)
    {
        var segments = e.RoutePattern.RawText!.Trim('/').Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith('{'))
            {
                continue;
            }
            var name = segments[i].Trim('{', '}');
            var before = i > 0 ? segments[i - 1] : "";
            segments[i] = (before, name) switch
            {
                ("shops", _) => "dy-a",
                ("accounts", _) => "star",
                ("invitations", _) => s.Ids["invitation"],
                ("bindings", _) => s.Ids["binding"],
                ("unlink-requests", _) => s.Ids["unlink"],
                ("unbind-applications", _) => s.Ids["application"],
                ("evidence", "fileId") => s.Ids["file"],
                ("main-account-changes", _) => s.Ids["change"],
                ("delegations", _) => s.Ids["delegation"],
                ("logins", _) => s.Ids["login"],
                ("tokens", _) => s.Ids["token"],
                ("policies", _) => "douyin",
                ("tickets", _) => s.Ids["ticket"],
                ("chat-agents", _) => s.Ids["agent"],
                ("conversations", _) => s.Ids["conversation"],
                ("webhooks", _) => s.Ids["webhook"],
                ("deliveries", _) => "dlv_none", // no delivery is made with the worker off: every caller must get 403/404 alike
                _ => throw new InvalidOperationException($"{e.RoutePattern.RawText}: the matrix has no value for {{{name}}} after '{before}'; add one to Url()"),
            };
        }
        var query = NameOf(e) switch
        {
            "ExportBindings" or "ExportHistory" => "?shopId=dy-a&accountId=star",
            "GetAttribution" => "?accountId=star",
            _ => "",
        };
        return "/" + string.Join('/', segments) + query;
    }

    /// <summary>A body the endpoint accepts as well-formed, aimed at the victim's resources, so only access can refuse it.</summary>
    private static HttpContent? Body(string name, Scene s)
    {
        object? json = name switch
        {
            "Invite" => new { accountId = "stranger", role = "channel" },
            "SwapOfficialAccount" => new { accountId = "stranger" },
            "BulkInvite" => new { items = new[] { new { shopId = "dy-a", accountId = "stranger", role = "channel" } } },
            "BulkApproveUnlinks" => new { items = new[] { new { unlinkRequestId = s.Ids["unlink"] } } },
            "BulkCreateShops" or "BulkCreateAccounts" => new { items = Array.Empty<object>() },
            "Check" => new { action = "invite", shopId = "dy-a", accountId = "stranger", role = "channel" },
            "RequestUnlink" => new { reason = "x" },
            "UpdateUnbindApplication" => new { contactName = "x" },
            "RejectUnbindApplication" => new { reason = "x" },
            "AnnounceClosure" => new { reason = "x" },
            "StartMainAccountChange" => new { accountId = "stranger" },
            "VerifyMainAccountChange" => new { code = "000000" },
            "AuthorizeDelegation" => new { mainAccountId = "boss-a", subAccountId = "sub-a", permissions = new[] { "bindings.view" } },
            "RevokeDelegation" => new { reason = "x" },
            "AdvanceClock" => new { by = "P1D" },
            "CreateShop" => new { id = "x1", name = "x", country = "GB", merchantType = "invited" },
            "UpdateShop" => new { status = "closed" },
            "CreateAccount" => new { id = "x1", handle = "x1", registrationCountry = "GB", birthDate = "1990-01-01" },
            "UpdateAccount" => new { registrationCountry = "FR" },
            "MintToken" => new { kind = "merchant", shopId = "dy-a" },
            "CreateLogin" => new { username = "x-login", password = "a long password", kind = "merchant", shopId = "dy-a" },
            "OpenTicket" => new { bindingId = s.Ids["invitation"], message = "x" },
            "ReplyToTicket" => new { body = "x" },
            "CorrectTicketAccount" => new { registrationCountry = "CN" },
            "CloseTicket" => new { reason = "x" },
            "RegisterChatAgent" => new { accountId = "stranger", group = "sales" },
            "SetChatAgentStatus" => new { status = "offline" },
            "OpenConversation" => new { customerRef = "buyer-2", group = "sales" },
            "CreateWebhook" => new { shopId = "dy-a", url = "http://127.0.0.1:9/other" },
            _ => null,
        };
        if (json is not null)
        {
            return JsonContent.Create(json);
        }
        if (name is "FileUnbindApplication" or "AddUnbindApplicationEvidence")
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent("wrong_account"), "reason" },
                { new StringContent("x"), "contactName" },
                { new StringContent("+8613800000001"), "contactPhone" },
            };
            form.Add(new ByteArrayContent(Pdf), "business_licence", "x.pdf");
            return form;
        }
        return JsonContent.Create(new { });
    }

    /// <summary>
    /// Every call the matrix makes: each /api endpoint called by each principal that must not see or change the victim's
    /// resources through it (another tenant, a sub lacking the permission, staff of a role the endpoint does not admit).
    /// </summary>
    private IEnumerable<(RouteEndpoint Endpoint, string Name, string Who, HttpClient Client)> WrongPrincipalCalls(Scene s)
    {
        foreach (var endpoint in ApiEndpoints().OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal).ThenBy(MethodOf, StringComparer.Ordinal))
        {
            var name = NameOf(endpoint);
            var requirement = endpoint.Metadata.GetMetadata<AccessRequirement>()!;
            if (requirement.Callers.HasFlag(Callers.Anonymous))
            {
                continue;
            }
            foreach (var (who, client) in s.Callers)
            {
                var staff = who is "reviewer" or "support";
                if (staff && requirement.Callers.HasFlag(who == "reviewer" ? Callers.Reviewer : Callers.Support))
                {
                    continue; // platform staff work on every tenant where their role is admitted
                }
                if (who == "sub account lacking the permission" && requirement.Permission == Permission.Chat)
                {
                    continue; // the scene's sub holds chat (it is the shop's customer-service agent): it lacks every other permission
                }
                if (SelfScoped.Contains(name) && (who != "sub account lacking the permission" || requirement.Permission is null))
                {
                    continue; // answers about the caller itself (a sub still needs the feed's permission); see the events check below
                }
                yield return (endpoint, name, who, client);
            }
        }
    }

    [Fact] // DY-D4, DY-A5, X-1
    public async Task No_endpoint_lets_another_tenant_a_sub_without_the_permission_or_an_unadmitted_role_see_or_change_anything()
    {
        var s = await Given();
        var failures = new List<string>();
        var calls = 0;
        foreach (var (endpoint, name, who, client) in WrongPrincipalCalls(s))
        {
            var method = new HttpMethod(MethodOf(endpoint));
            var url = Url(endpoint, s);
            var request = new HttpRequestMessage(method, url);
            if (method != HttpMethod.Get && method != HttpMethod.Delete)
            {
                request.Content = Body(name, s);
            }
            var before = Fingerprint();
            var response = await client.SendAsync(request);
            calls++;
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            var ok = status is 403 or 404;
            if (!ok && status == 200 && name.StartsWith("Bulk", StringComparison.Ordinal))
            {
                // Bulk answers per item: every item must be refused as not found or forbidden.
                var results = JsonNode.Parse(text)!["results"]!.AsArray();
                ok = results.Count > 0 && results.All(r => r!["problem"]?["status"]?.GetValue<int>() is 403 or 404);
            }
            if (ok && status is 403 or 404 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                ok = false;
            }
            if (!ok)
            {
                failures.Add($"{who}: {method} {url} ({name}) answered {status}: {text[..Math.Min(300, text.Length)]}");
            }
            var after = Fingerprint();
            if (after != before)
            {
                failures.Add($"{who}: {method} {url} ({name}) changed the store");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls broke access:\n" + string.Join("\n", failures));
        Assert.True(calls > 200, $"only {calls} calls made");

        // The self-scoped event feed shows another tenant nothing of the victim's.
        foreach (var who in new[] { "merchant of another shop", "creator of another account" })
        {
            var events = await Kit.Events(s.Callers[who]);
            Assert.DoesNotContain(events, e => e["shopId"]?.GetValue<string>() is "dy-a" or "tt-a" || e["accountId"]?.GetValue<string>() is "star" or "fan" or "tia");
        }
    }

    /// <summary>
    /// The spellings of one canonical path that reach the same endpoint through Kestrel and routing: literal segments in
    /// upper and mixed case, a percent-encoded letter in each literal segment, dot segments, doubled and trailing slashes.
    /// Route values (ids) keep their spelling: they are data, compared exactly.
    /// </summary>
    internal static IEnumerable<(string Kind, string Path)> Variants(string pattern, string canonical)
    {
        var queryAt = canonical.IndexOf('?', StringComparison.Ordinal);
        var query = queryAt < 0 ? "" : canonical[queryAt..];
        var segments = (queryAt < 0 ? canonical : canonical[..queryAt]).Trim('/').Split('/');
        var literal = pattern.Trim('/').Split('/').Select(p => !p.StartsWith('{')).ToArray();
        string Join(Func<string, int, string> spell, string separator = "/") =>
            "/" + string.Join(separator, segments.Select((x, i) => literal[i] ? spell(x, i) : x));
        yield return ("upper case", Join((x, _) => x.ToUpperInvariant()) + query);
        yield return ("mixed case", Join((x, i) => i % 2 == 0 ? char.ToUpperInvariant(x[0]) + x[1..] : x.ToUpperInvariant()) + query);
        yield return ("percent-encoded letters", Join((x, _) => char.IsAsciiLetter(x[0]) ? $"%{(int)x[0]:X2}{x[1..]}" : x) + query);
        yield return ("dot segments", "/x/.." + Join((x, i) => i == 1 ? "./" + x : x) + query);
        yield return ("doubled slashes", "/" + Join((x, _) => x, "//") + query);
        yield return ("trailing slash", Join((x, _) => x) + "/" + query);
        yield return ("all at once", "/y/../" + Join((x, _) => $"%{(int)char.ToUpperInvariant(x[0]):X2}{x[1..].ToUpperInvariant()}", "//") + "/" + query);
    }

    /// <summary>A request whose path goes out exactly as spelled (no client-side canonicalization of case, escapes or dots).</summary>
    internal static HttpRequestMessage Raw(HttpClient client, HttpMethod method, string path) =>
        new(method, new Uri(client.BaseAddress!.GetLeftPart(UriPartial.Authority) + path,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));

    private static async Task<string> Answer(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var code = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? JsonNode.Parse(text)?["code"]?.GetValue<string>() : null;
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {code}";
    }

    [Fact] // DY-D4, X-1
    public async Task Every_spelling_of_every_route_gets_the_same_answer_as_its_canonical_path()
    {
        // Through a real Kestrel on 127.0.0.1, which decodes and resolves paths as in production (the in-memory test
        // server does not): the whole matrix again, each call through every variant of its path.
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var s = await Given();
        var before = Fingerprint();
        var failures = new List<string>();
        var calls = 0;
        foreach (var (endpoint, name, who, client) in WrongPrincipalCalls(s))
        {
            var method = new HttpMethod(MethodOf(endpoint));
            var url = Url(endpoint, s);
            async Task<string> Send(string path)
            {
                var request = Raw(client, method, path);
                if (method != HttpMethod.Get && method != HttpMethod.Delete)
                {
                    request.Content = Body(name, s);
                }
                calls++;
                return await Answer(await client.SendAsync(request));
            }
            var canonical = await Send(url);
            if (!canonical.StartsWith("403 application/problem+json", StringComparison.Ordinal)
                && !canonical.StartsWith("404 application/problem+json", StringComparison.Ordinal)
                && !(canonical.StartsWith("200 ", StringComparison.Ordinal) && name.StartsWith("Bulk", StringComparison.Ordinal)))
            {
                failures.Add($"{who}: {method} {url} ({name}) answered {canonical}");
            }
            foreach (var (kind, path) in Variants(endpoint.RoutePattern.RawText!, url))
            {
                var answer = await Send(path);
                if (answer != canonical)
                {
                    failures.Add($"{who}: {method} {path} ({name}, {kind}) answered {answer}, the canonical path {canonical}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls differ:\n" + string.Join("\n", failures.Take(60)));
        Assert.True(calls > 1500, $"only {calls} calls made");
        Assert.Equal(before, Fingerprint());

        // The positive control: the shop's own merchant reads through every spelling and gets what the canonical path gives.
        var reads = 0;
        foreach (var endpoint in ApiEndpoints().Where(e => MethodOf(e) == "GET" && !NameOf(e).StartsWith("Export", StringComparison.Ordinal)))
        {
            var url = Url(endpoint, s);
            var canonical = await Answer(await s.Owner.SendAsync(Raw(s.Owner, HttpMethod.Get, url)));
            foreach (var (kind, path) in Variants(endpoint.RoutePattern.RawText!, url))
            {
                var answer = await Answer(await s.Owner.SendAsync(Raw(s.Owner, HttpMethod.Get, path)));
                Assert.True(answer == canonical, $"{NameOf(endpoint)} {path} ({kind}) answered {answer}, the canonical path {canonical}");
            }
            reads += canonical.StartsWith("200 ", StringComparison.Ordinal) ? 1 : 0;
        }
        Assert.True(reads >= 20, $"only {reads} reads answered 200 to the owner");
    }

    [Fact] // DY-D4
    public async Task Access_is_decided_before_the_body_is_read()
    {
        // A caller the endpoint does not admit is refused whatever it sends: a body that would be a 400 (control
        // characters), or one over the endpoint's size limit, is never read.
        var s = await Given();
        var creator = s.Callers["creator of another account"];
        var bad = new StringContent("{\"username\":\"x\u0000y\",\"password\":\"a long password\",\"kind\":\"admin\"}", Encoding.UTF8, "application/json");
        await Kit.Problem(await creator.PostAsync("/api/v1/logins", bad), HttpStatusCode.Forbidden, "forbidden");
        var huge = new StringContent("{\"username\":\"" + new string('x', 2 << 20) + "\"}", Encoding.UTF8, "application/json");
        await Kit.Problem(await creator.PostAsync("/api/v1/logins", huge), HttpStatusCode.Forbidden, "forbidden");
        var anonymous = factory.CreateClient();
        await Kit.Problem(await anonymous.PostAsync("/api/v1/logins", new StringContent("{\"username\":\"x\u0000\"}", Encoding.UTF8, "application/json")),
            HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact] // DY-D4
    public void Every_endpoint_of_the_application_declares_who_may_call_it()
    {
        // Deny by default: the API, the console's pages, health, metrics and the OpenAPI document alike.
        factory.StartServer();
        var all = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        Assert.All(all, e => Assert.IsType<RouteEndpoint>(e));
        var undeclared = all.Where(e => e.Metadata.GetMetadata<AccessRequirement>() is null).Select(e => e.DisplayName).ToList();
        Assert.True(undeclared.Count == 0, "endpoints without a declaration: " + string.Join(", ", undeclared));
        var pages = all.OfType<RouteEndpoint>().Where(e => e.Metadata.GetMetadata<ConsoleEndpoint>() is not null).ToList();
        Assert.True(pages.Count >= 18, $"only {pages.Count} console endpoints");
        var open = all.OfType<RouteEndpoint>().Where(e => e.Metadata.GetMetadata<AccessRequirement>()!.Callers.HasFlag(Callers.Anonymous))
            .Select(e => e.RoutePattern.RawText!.TrimStart('/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["", "console/console.css", "console/language", "console/sign-in", "docs/favicon.svg", "docs/scalar.aspnetcore.js",
                "docs/scalar.js", "docs/{documentName?}", "health/live", "health/ready", "openapi/v1.json"],
            open.Where(p => !p.StartsWith("api/", StringComparison.Ordinal)).Distinct().ToList());
    }

    [Fact] // DY-D4
    public async Task A_sub_holding_the_permission_passes_the_gate_of_every_endpoint_that_names_it()
    {
        // The positive control of the matrix: the 403s above come from the missing permission, not from being a sub.
        var s = await Given();
        var kit = new AccessKit(factory);
        var a = factory.As((await kit.Mint(new { kind = "merchant", shopId = "dy-a" })).Secret, country: null);
        var subs = new Dictionary<Permission, HttpClient>();
        foreach (var permission in PermissionNames.Delegable(financeDelegable: false))
        {
            var account = "sub-" + PermissionNames.Wire(permission).Replace('.', '-');
            await kit.AccountOnly(account);
            await AccessKit.Delegate(a, "boss-a", account, PermissionNames.Wire(permission));
            subs[permission] = await kit.Sub("dy-a", account);
        }
        var checkedEndpoints = 0;
        foreach (var endpoint in ApiEndpoints().OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal))
        {
            var requirement = endpoint.Metadata.GetMetadata<AccessRequirement>()!;
            if (!requirement.Callers.HasFlag(Callers.Merchant) || requirement.Permission is not { } needed || !subs.TryGetValue(needed, out var sub))
            {
                continue;
            }
            var method = new HttpMethod(MethodOf(endpoint));
            var request = new HttpRequestMessage(method, Url(endpoint, s));
            if (method != HttpMethod.Get && method != HttpMethod.Delete)
            {
                request.Content = Body(NameOf(endpoint), s);
            }
            var response = await sub.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.False(response.StatusCode == HttpStatusCode.Unauthorized || text.Contains("lacks the permission", StringComparison.Ordinal),
                $"{NameOf(endpoint)} refused a sub holding {PermissionNames.Wire(needed)}: {(int)response.StatusCode} {text}");
            checkedEndpoints++;
        }
        Assert.True(checkedEndpoints >= 25, $"only {checkedEndpoints} endpoints checked");
    }

    /// <summary>A digest of every row of every table of the host's store.</summary>
    private string Fingerprint()
    {
        if (factory.PostgresConnection is { } pg)
        {
            // PostgreSQL: every table's rows as text, in a stable order, digested by the server.
            using var c = new Npgsql.NpgsqlConnection(pg);
            c.Open();
            using var all = new Npgsql.NpgsqlCommand(
                "SELECT string_agg(format('SELECT %L || coalesce((SELECT md5(string_agg(t::text, E''\\n'' ORDER BY t::text)) FROM %I t), '''')', tablename, tablename), ' UNION ALL ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'", c);
            var union = (string)all.ExecuteScalar()!;
            using var digest = new Npgsql.NpgsqlCommand($"SELECT md5(string_agg(x, ',')) FROM ({union}) AS d(x)", c);
            return (string)digest.ExecuteScalar()!;
        }
        using var connection = new SqliteConnection($"Data Source={factory.DbPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var tables = new List<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
            using var reader = cmd.ExecuteReader();
            dump.Append(table).Append('\n');
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    dump.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }
                dump.Append('\n');
            }
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dump.ToString())));
    }
}

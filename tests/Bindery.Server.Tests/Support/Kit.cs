using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Bindery.Server.Tests;

/// <summary>Assertions and reads shared by the HTTP tests.</summary>
public static class Kit
{
    /// <summary>The service writes instants in UTC with a trailing Z and no zero fraction.</summary>
    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>An instant relative to <see cref="BinderyFactory.Start"/>, as the service writes it.</summary>
    public static string At(TimeSpan sinceStart) => Iso(BinderyFactory.Start + sinceStart);

    public static string S(this JsonNode? node) => node!.GetValue<string>();

    public static int I(this JsonNode? node) => node!.GetValue<int>();

    public static bool B(this JsonNode? node) => node!.GetValue<bool>();

    public static JsonArray A(this JsonNode? node) => node!.AsArray();

    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body.</summary>
    public static async Task<JsonNode> Expect(HttpResponseMessage r, HttpStatusCode status, string? context = null)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == status,
            $"{context ?? r.RequestMessage?.Method + " " + r.RequestMessage?.RequestUri}: expected {(int)status} but got {(int)r.StatusCode}: {text}");
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty body");
    }

    /// <summary>Asserts an application/problem+json answer with this status and code; returns the body.</summary>
    public static async Task<JsonNode> Problem(HttpResponseMessage r, HttpStatusCode status, string code, string? context = null)
    {
        var where = context ?? r.RequestMessage?.Method + " " + r.RequestMessage?.RequestUri;
        var body = await Expect(r, status, where);
        Assert.True(r.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{where}: content type is {r.Content.Headers.ContentType}");
        Assert.True(body["code"]?.GetValue<string>() == code, $"{where}: code is {body["code"]}, expected {code}: {body.ToJsonString()}");
        Assert.Equal((int)status, body["status"].I());
        Assert.False(string.IsNullOrWhiteSpace(body["title"]?.GetValue<string>()), where);
        Assert.False(string.IsNullOrWhiteSpace(body["detail"]?.GetValue<string>()), where);
        return body;
    }

    /// <summary>Asserts a 409 rule denial and returns its body; <c>rules</c> lists every failing rule id.</summary>
    public static Task<JsonNode> Denied(HttpResponseMessage r, string? context = null) =>
        Problem(r, HttpStatusCode.Conflict, "rule_denied", context);

    /// <summary>The failing rule ids of a denial (its <c>rules</c>) or of a check (its <c>reasons</c>), in order.</summary>
    public static string[] RulesOf(JsonNode problemOrCheck) =>
        problemOrCheck["rules"] is JsonArray rules
            ? rules.Select(x => x.S()).ToArray()
            : problemOrCheck["reasons"].A().Select(x => x!["rule"].S()).ToArray();

    public static JsonNode Reason(JsonNode problemOrCheck, string rule) =>
        problemOrCheck["reasons"].A().Single(x => x!["rule"].S() == rule)!;

    /// <summary>Every event of the feed visible to the client, paging through it.</summary>
    public static async Task<List<JsonNode>> Events(HttpClient client, int pageSize = 1000)
    {
        var all = new List<JsonNode>();
        long after = 0;
        while (true)
        {
            var page = await Expect(await client.GetAsync($"/api/v1/events?after={after}&limit={pageSize}"), HttpStatusCode.OK);
            all.AddRange(page["items"].A().Select(x => x!));
            if (page["next"] is null)
            {
                return all;
            }
            after = page["next"]!.GetValue<long>();
        }
    }

    public static async Task<int> EventCount(HttpClient admin) => (await Events(admin)).Count;

    public static async Task<JsonNode> Get(HttpClient client, string url) => await Expect(await client.GetAsync(url), HttpStatusCode.OK);

    public static async Task<JsonArray> Bindings(HttpClient client, string shopId, string? state = null) =>
        (await Get(client, $"/api/v1/shops/{shopId}/bindings" + (state is null ? "" : "?state=" + state))).A();

    public static async Task<JsonNode> Quota(HttpClient client, string shopId, string name) =>
        (await Get(client, $"/api/v1/shops/{shopId}/quotas"))["quotas"].A().Single(q => q!["name"].S() == name)!;

    public static Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string url, object? body = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return client.SendAsync(request);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Bindery.Server.Api.Exports;
using Bindery.Server.Features.History;
using Bindery.Server.Http;

namespace Bindery.Server.Tests;

/// <summary>
/// Z-5, X-1: binding intervals and history as data, exported as CSV or JSON lines, over a half-open time range
/// [from, to), within the caller's tenancy.
/// </summary>
public sealed class ExportTests : IDisposable
{
    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    /// <summary>
    /// alice: invited to s1 at +0, active from +1 h, unbound at +26 h. bob: invited to s1 at +1 h, never answers, expires
    /// at +49 h. cal: bound to s2 from +2 h. The clock ends at +56 h.
    /// </summary>
    private sealed record Scene(World World, HttpClient S1, HttpClient S2, HttpClient Alice, string AliceBinding, string BobInvitation, string CalBinding);

    private async Task<Scene> Given()
    {
        var world = new World(factory);
        var s1 = await world.Shop("s1");
        var s2 = await world.Shop("s2");
        var alice = await world.Account("alice");
        var cal = await world.Account("cal");
        await world.AccountOnly("bob");
        var aliceBinding = await World.Invite(s1, "s1", "alice");
        await world.Advance("PT1H");
        await Kit.Expect(await alice.PostAsync($"/api/v1/invitations/{aliceBinding}/accept", null), HttpStatusCode.OK);
        var bob = await World.Invite(s1, "s1", "bob", "channel");
        await world.Advance("PT1H");
        var calBinding = await world.Bind(s2, "s2", cal, "cal");
        await world.Advance("PT24H");
        await World.Unbind(s1, alice, aliceBinding);
        await world.Advance("PT30H");
        return new Scene(world, s1, s2, alice, aliceBinding, bob, calBinding);
    }

    private static async Task<(HttpResponseMessage Response, string[] Lines)> Export(HttpClient client, string url)
    {
        var r = await client.GetAsync(url);
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{url}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        var text = await r.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return (r, text.Split('\n')[..^1]);
    }

    /// <summary>The binding ids of a CSV bindings export (first column), in order.</summary>
    private static async Task<string[]> BindingIds(HttpClient client, string query)
    {
        var (_, lines) = await Export(client, "/api/v1/exports/bindings" + query);
        Assert.Equal(BindingInterval.CsvHeader.TrimEnd('\n'), lines[0]);
        return lines[1..].Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)]).ToArray();
    }

    private static string Q(TimeSpan sinceStart) => Uri.EscapeDataString(Kit.At(sinceStart));

    [Fact] // Z-5, X-6
    public async Task Binding_intervals_overlap_the_range_with_half_open_bounds()
    {
        var s = await Given();
        var admin = s.World.Admin;
        var h = TimeSpan.FromHours(1);

        Assert.Equal([s.AliceBinding, s.CalBinding], await BindingIds(admin, ""));
        // alice is bound during [+1 h, +26 h): a range ending at +1 h misses her, one tick later catches her.
        Assert.Empty(await BindingIds(admin, $"?to={Q(h)}"));
        Assert.Equal([s.AliceBinding], await BindingIds(admin, $"?to={Q(h + Tick)}"));
        Assert.Equal([s.AliceBinding], await BindingIds(admin, $"?to={Q(2 * h)}"));
        Assert.Equal([s.AliceBinding, s.CalBinding], await BindingIds(admin, $"?to={Q(2 * h + Tick)}"));
        // A range starting at her end instant misses her; one tick earlier catches her.
        Assert.Equal([s.CalBinding], await BindingIds(admin, $"?from={Q(26 * h)}"));
        Assert.Equal([s.AliceBinding, s.CalBinding], await BindingIds(admin, $"?from={Q(26 * h - Tick)}"));
        Assert.Equal([s.AliceBinding], await BindingIds(admin, $"?from={Q(5 * h)}&to={Q(6 * h)}&shopId=s1"));

        // Invitations never activated only when asked for, as [invitedAt, endedAt): bob's expired at +49 h.
        Assert.Equal([s.AliceBinding, s.BobInvitation, s.CalBinding], await BindingIds(admin, "?includeInvitations=true"));
        Assert.Equal([s.CalBinding], await BindingIds(admin, $"?includeInvitations=true&from={Q(49 * h)}"));
        Assert.Equal([s.BobInvitation, s.CalBinding], await BindingIds(admin, $"?includeInvitations=true&from={Q(49 * h - Tick)}"));
        Assert.Empty(await BindingIds(admin, $"?includeInvitations=true&to={Q(h)}"));
        Assert.Equal([s.AliceBinding, s.BobInvitation], await BindingIds(admin, $"?includeInvitations=true&to={Q(h + Tick)}"));
    }

    [Fact] // Z-5
    public async Task A_bindings_csv_export_is_an_attachment_with_one_line_per_interval()
    {
        var s = await Given();
        var (r, lines) = await Export(s.S1, "/api/v1/exports/bindings?includeInvitations=true");
        Assert.Equal("text/csv", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", r.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", r.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("bindery-bindings-shop-s1.csv", r.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(
            [
                "binding_id,shop_id,account_id,role,state,invited_at,activated_at,ended_at,ended_by,end_reason",
                $"{s.AliceBinding},s1,alice,official,ended,2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,2026-03-03T10:00:00Z,merchant:s1,unlink_approved",
                $"{s.BobInvitation},s1,bob,channel,expired,2026-03-02T09:00:00Z,,2026-03-04T09:00:00Z,system,invitation_expired",
            ],
            lines);

        var ranged = await s.World.Admin.GetAsync($"/api/v1/exports/bindings?accountId=cal&from={Q(TimeSpan.Zero)}&to={Q(TimeSpan.FromDays(1))}");
        Assert.Equal("bindery-bindings-account-cal-from-20260302T080000Z-to-20260303T080000Z.csv", ranged.Content.Headers.ContentDisposition?.FileName);
    }

    [Fact] // Z-5
    public async Task A_bindings_jsonl_export_has_one_json_object_per_line()
    {
        var s = await Given();
        var (r, lines) = await Export(s.World.Admin, "/api/v1/exports/bindings?format=jsonl");
        Assert.Equal("application/x-ndjson", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bindery-bindings.jsonl", r.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(2, lines.Length);
        var alice = JsonNode.Parse(lines[0])!.AsObject();
        Assert.Equal(
            ["bindingId", "shopId", "accountId", "role", "state", "invitedAt", "activatedAt", "endedAt", "endedBy", "endReason"],
            alice.Select(p => p.Key));
        Assert.Equal(s.AliceBinding, alice["bindingId"].S());
        Assert.Equal(Kit.At(TimeSpan.FromHours(1)), alice["activatedAt"].S());
        Assert.Equal(Kit.At(TimeSpan.FromHours(26)), alice["endedAt"].S());
        Assert.Equal("unlink_approved", alice["endReason"].S());
        var cal = JsonNode.Parse(lines[1])!;
        Assert.Equal("active", cal["state"].S());
        Assert.Null(cal["endedAt"]);
        Assert.True(cal.AsObject().ContainsKey("endedAt"));
    }

    [Fact] // Z-5, X-1
    public async Task History_entries_are_exported_with_at_in_the_half_open_range()
    {
        var s = await Given();
        var all = (await Kit.Get(s.S1, "/api/v1/shops/s1/history"))["items"].A();

        // JSON lines are the history items of GET /shops/{id}/history, one per line.
        var (r, lines) = await Export(s.S1, "/api/v1/exports/history?format=jsonl");
        Assert.Equal("application/x-ndjson", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bindery-history-shop-s1.jsonl", r.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(all.Select(x => x!.ToJsonString()), lines.Select(l => JsonNode.Parse(l)!.ToJsonString()));

        var from = TimeSpan.FromHours(1);
        var to = TimeSpan.FromHours(26);
        var expected = all.Where(x => string.CompareOrdinal(x!["at"].S(), Kit.At(from)) >= 0 && string.CompareOrdinal(x["at"].S(), Kit.At(to)) < 0)
            .Select(x => x!["seq"]!.GetValue<long>()).ToArray();
        var (_, ranged) = await Export(s.S1, $"/api/v1/exports/history?format=jsonl&from={Q(from)}&to={Q(to)}");
        var got = ranged.Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(expected, got.Select(x => x["seq"]!.GetValue<long>()));
        // The bounds are hit exactly: bob's invitation at +1 h is in, alice's unbind at +26 h is out.
        Assert.Contains(got, x => x["action"].S() == "invitation.sent" && x["accountId"].S() == "bob" && x["at"].S() == Kit.At(from));
        Assert.DoesNotContain(got, x => x["at"].S() == Kit.At(to));
        Assert.Contains(all, x => x!["action"].S() == "binding.ended" && x["at"].S() == Kit.At(to));
        Assert.DoesNotContain(got, x => x["at"].S() == Kit.At(TimeSpan.Zero));

        var (csv, csvLines) = await Export(s.S1, $"/api/v1/exports/history?from={Q(from)}&to={Q(to)}");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HistoryQuery.CsvHeader.TrimEnd('\n'), csvLines[0]);
        Assert.Equal(expected, csvLines[1..].Select(l => long.Parse(l[..l.IndexOf(',', StringComparison.Ordinal)])));
        // The same line as the per-shop CSV history, JSON snapshots quoted as one cell.
        var whole = (await s.S1.GetStringAsync("/api/v1/shops/s1/history?format=csv")).Split('\n');
        Assert.All(csvLines[1..], l => Assert.Contains(l, whole));
    }

    [Fact] // Z-5, X-1
    public async Task Exports_keep_to_the_callers_tenancy()
    {
        var s = await Given();

        // A merchant: its own shop by default, never another.
        Assert.Equal([s.AliceBinding], await BindingIds(s.S1, ""));
        Assert.Equal([s.AliceBinding], await BindingIds(s.S1, "?shopId=s1"));
        Assert.Equal([s.CalBinding], await BindingIds(s.S2, ""));
        Assert.Empty(await BindingIds(s.S1, "?accountId=cal"));
        var (_, history) = await Export(s.S1, "/api/v1/exports/history?format=jsonl");
        Assert.All(history, l => Assert.Equal("s1", JsonNode.Parse(l)!["shopId"].S()));

        // A creator: its own account by default, never another.
        Assert.Equal([s.AliceBinding], await BindingIds(s.Alice, ""));
        Assert.Equal([s.AliceBinding], await BindingIds(s.Alice, "?shopId=s1"));
        Assert.Empty(await BindingIds(s.Alice, "?shopId=s2"));
        var (_, aliceHistory) = await Export(s.Alice, "/api/v1/exports/history?format=jsonl");
        Assert.NotEmpty(aliceHistory);
        Assert.All(aliceHistory, l => Assert.Equal("alice", JsonNode.Parse(l)!["accountId"].S()));

        foreach (var kind in new[] { "bindings", "history" })
        {
            await Kit.Problem(await s.S1.GetAsync($"/api/v1/exports/{kind}?shopId=s2"), HttpStatusCode.NotFound, "not_found");
            await Kit.Problem(await s.Alice.GetAsync($"/api/v1/exports/{kind}?accountId=cal"), HttpStatusCode.NotFound, "not_found");
            await Kit.Problem(await s.World.Admin.GetAsync($"/api/v1/exports/{kind}?shopId=nope"), HttpStatusCode.NotFound, "not_found");
            await Kit.Problem(await s.World.Admin.GetAsync($"/api/v1/exports/{kind}?accountId=nope"), HttpStatusCode.NotFound, "not_found");
        }

        // The admin: platform-wide, or any shop or account.
        var (_, everything) = await Export(s.World.Admin, "/api/v1/exports/history?format=jsonl");
        var shops = everything.Select(l => JsonNode.Parse(l)!["shopId"]?.GetValue<string>()).OfType<string>().Distinct().Order().ToArray();
        Assert.Equal(["s1", "s2"], shops);
        Assert.Equal([s.CalBinding], await BindingIds(s.World.Admin, "?accountId=cal"));
    }

    [Fact] // Z-5
    public async Task Bad_parameters_are_validation_problems()
    {
        var world = new World(factory);
        var cases = new[]
        {
            ("/api/v1/exports/history?format=xml", "format"),
            ("/api/v1/exports/bindings?from=yesterday", "from"),
            ("/api/v1/exports/bindings?to=2026-03-02T08:00:00", "to"),
            ($"/api/v1/exports/history?from={Q(TimeSpan.FromHours(1))}&to={Q(TimeSpan.FromHours(1))}", "to"),
            ($"/api/v1/exports/bindings?from={Q(TimeSpan.FromHours(2))}&to={Q(TimeSpan.FromHours(1))}", "to"),
        };
        foreach (var (url, field) in cases)
        {
            var problem = await Kit.Problem(await world.Admin.GetAsync(url), HttpStatusCode.BadRequest, "validation_failed", url);
            Assert.NotNull(problem["errors"]![field]);
        }
        await Kit.Problem(await world.Admin.GetAsync("/api/v1/exports/bindings?includeInvitations=maybe"), HttpStatusCode.BadRequest, "malformed_request");
    }

    [Theory] // Z-5, X-1
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("plain", "plain")]
    public void Csv_cells_are_quoted_and_formula_safe(string value, string cell) =>
        Assert.Equal(cell, HistoryQuery.Cell(value));
}

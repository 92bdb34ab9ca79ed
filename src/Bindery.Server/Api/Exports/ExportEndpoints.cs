using System.Text;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Features.History;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;


namespace Bindery.Server.Api.Exports;

/// <summary>One binding as an interval (Z-5): from its activation to its end, null while it lasts.</summary>
public sealed record BindingInterval(
    string BindingId, string ShopId, string AccountId, string Role, string State,
    DateTimeOffset InvitedAt, DateTimeOffset? ActivatedAt, DateTimeOffset? EndedAt, string? EndedBy, string? EndReason)
{
    public const string CsvHeader = "binding_id,shop_id,account_id,role,state,invited_at,activated_at,ended_at,ended_by,end_reason\n";

    public static BindingInterval From(BindingRow b) => new(b.Id, b.ShopId, b.AccountId, Wire.Name(b.Role), Wire.Name(b.State),
        b.InvitedAt, b.ActivatedAt, b.EndedAt, b.EndedBy, b.EndReason);

    public static void AppendCsv(StringBuilder sb, BindingInterval b) =>
        sb.Append(HistoryQuery.Cell(b.BindingId)).Append(',').Append(HistoryQuery.Cell(b.ShopId)).Append(',')
            .Append(HistoryQuery.Cell(b.AccountId)).Append(',').Append(HistoryQuery.Cell(b.Role)).Append(',')
            .Append(HistoryQuery.Cell(b.State)).Append(',').Append(HistoryQuery.CsvInstant(b.InvitedAt)).Append(',')
            .Append(HistoryQuery.CsvInstant(b.ActivatedAt)).Append(',').Append(HistoryQuery.CsvInstant(b.EndedAt)).Append(',')
            .Append(HistoryQuery.Cell(b.EndedBy)).Append(',').Append(HistoryQuery.Cell(b.EndReason)).Append('\n');
}

/// <summary>Z-5, X-1: binding intervals and history as data, streamed as CSV (RFC 4180) or JSON lines.</summary>
public static class ExportEndpoints
{
    public static void MapExportEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/exports").WithTags("Exports");

        g.MapGet("/bindings", async (string? shopId, string? accountId, string? from, string? to, string? format, bool? includeInvitations,
            HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            await http.Settle(ct);
            var (scope, problem) = await ExportScope.Resolve(http, db, "bindings", shopId, accountId, from, to, format, ct);
            if (scope is null)
            {
                return problem!;
            }
            var rows = Bindings(db, scope, includeInvitations ?? false).AsAsyncEnumerable().Select(BindingInterval.From);
            return new ExportStream<BindingInterval>(scope, rows, BindingInterval.CsvHeader, BindingInterval.AppendCsv);
        }).Requires(Callers.Merchant | Callers.Creator, Permission.HistoryExport).WithName("ExportBindings")
            .WithSummary("Binding intervals overlapping [from, to) as CSV or JSON lines, streamed; includeInvitations adds never-activated invitations (Z-5).")
            .Produces(200, typeof(string), "text/csv", "application/x-ndjson").ProducesProblem(400).ProducesProblem(404);

        g.MapGet("/history", async (string? shopId, string? accountId, string? from, string? to, string? format,
            HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            await http.Settle(ct);
            var (scope, problem) = await ExportScope.Resolve(http, db, "history", shopId, accountId, from, to, format, ct);
            if (scope is null)
            {
                return problem!;
            }
            var rows = History(db, scope).AsAsyncEnumerable().Select(HistoryView.From);
            return new ExportStream<HistoryView>(scope, rows, HistoryQuery.CsvHeader, (sb, h) => HistoryQuery.AppendCsv(sb, h));
        }).Requires(Callers.Merchant | Callers.Creator, Permission.HistoryExport).WithName("ExportHistory")
            .WithSummary("History entries with at in [from, to), oldest first, as CSV or JSON lines, streamed (X-1, Z-5).")
            .Produces(200, typeof(string), "text/csv", "application/x-ndjson").ProducesProblem(400).ProducesProblem(404);
    }

    /// <summary>
    /// An interval [activatedAt, endedAt) overlaps [from, to) when activatedAt &lt; to and (endedAt is null or endedAt &gt; from).
    /// A never-activated invitation, when asked for, is the interval [invitedAt, endedAt) under the same test.
    /// </summary>
    internal static IQueryable<BindingRow> Bindings(BinderyDb db, ExportScope scope, bool includeInvitations)
    {
        var q = db.Bindings.AsNoTracking();
        if (scope.ShopId is { } shop)
        {
            q = q.Where(b => b.ShopId == shop);
        }
        if (scope.AccountId is { } account)
        {
            q = q.Where(b => b.AccountId == account);
        }
        if (!includeInvitations)
        {
            q = q.Where(b => b.ActivatedAt != null);
        }
        if (scope.To is { } to)
        {
            q = q.Where(b => (b.ActivatedAt != null && b.ActivatedAt < to) || (b.ActivatedAt == null && b.InvitedAt < to));
        }
        if (scope.From is { } from)
        {
            q = q.Where(b => b.EndedAt == null || b.EndedAt > from);
        }
        return q.OrderBy(b => b.InvitedAt).ThenBy(b => b.Id);
    }

    /// <summary>History entries with <c>at</c> in [from, to), in sequence order.</summary>
    internal static IQueryable<HistoryRow> History(BinderyDb db, ExportScope scope)
    {
        var q = db.History.AsNoTracking();
        if (scope.ShopId is { } shop)
        {
            q = q.Where(h => h.ShopId == shop);
        }
        if (scope.AccountId is { } account)
        {
            q = q.Where(h => h.AccountId == account);
        }
        if (scope.From is { } from)
        {
            q = q.Where(h => h.At >= from);
        }
        if (scope.To is { } to)
        {
            q = q.Where(h => h.At < to);
        }
        return q.OrderBy(h => h.Seq);
    }
}

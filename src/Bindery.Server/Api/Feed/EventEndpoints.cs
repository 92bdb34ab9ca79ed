using Bindery.Persistence;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Feed;

public static class EventEndpoints
{
    public const int MaxLimit = 1000;

    public static void MapEventEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/events", async (long? after, int? limit, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            if (limit is < 1 or > MaxLimit)
            {
                return http.Invalid("limit", $"must be between 1 and {MaxLimit}");
            }
            await http.Settle(ct);
            var p = http.Principal();
            // The admin reads the whole feed; a merchant only its shop's events, a creator only its account's.
            var shop = p.Kind == PrincipalKind.Merchant ? p.ShopId : null;
            var account = p.Kind == PrincipalKind.Creator ? p.AccountId : null;
            var take = limit ?? 100;
            var from = after ?? 0;
            var rows = await db.Events.AsNoTracking()
                .Where(e => e.Seq > from && (shop == null || e.ShopId == shop) && (account == null || e.AccountId == account))
                .OrderBy(e => e.Seq).Take(take + 1).ToListAsync(ct);
            var items = rows.Take(take).Select(EventView.From).ToArray();
            return Result.Ok(new Page<EventView>(items, rows.Count > take ? items[^1].Seq : null)).ToHttp();
        }).WithTags("Events").Requires(Callers.Merchant | Callers.Creator, Permission.BindingsView).WithName("ListEvents")
            .WithSummary("The ordered, append-only event feed after a sequence number (X-2). Poll with after = the last seq you saw.")
            .Produces<Page<EventView>>().ProducesProblem(400);
    }
}

using Bindery.Persistence;
using Bindery.Server.Features.Webhooks;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Api.Webhooks;

/// <summary>X-2 webhooks: subscriptions, their deliveries and redelivery (ADR 0012).</summary>
public static class WebhookEndpoints
{
    public const int MaxLimit = 1000;

    public static void MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/webhooks").WithTags("Webhooks");

        g.MapPost("/", async (WebhookInput body, HttpContext http, WebhookDestinations destinations, WebhookSecrets secrets, CancellationToken ct) =>
        {
            var (command, errors) = CreateWebhook.From(body);
            if (command is null)
            {
                return errors.Problem(http.Lang());
            }
            // SSRF: a public destination only. Resolved here, outside the write, so no transaction waits for DNS.
            var check = await destinations.CheckAsync(new Uri(command.Url), ct);
            if (!check.IsAllowed)
            {
                return Outcome.Problem(Problems.Make(400, check.Code!, http.Lang(),
                    Problems.Say(http.Lang(), "url: " + check.Message, "url：" + Problems.TitledCodes[check.Code!].Zh),
                    errors: new Dictionary<string, string[]>(StringComparer.Ordinal) { ["url"] = [check.Message!] }));
            }
            return await http.Write(command with { Secrets = secrets }, ct);
        }).Requires(Callers.Merchant, Permission.Owner).WithName("CreateWebhook")
            .WithSummary("Subscribe a URL to a shop's events (its merchant or the admin) or to every event (admin, no shopId). The URL must reach a public address. The signing secret is in this answer only.")
            .Produces<CreatedWebhook>(201).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/{id}/rotate-secret", async (string id, RotateSecretInput? body, HttpContext http, WebhookSecrets secrets, CancellationToken ct) =>
        {
            var (command, errors) = RotateWebhookSecret.From(id, body);
            return command is null ? errors.Problem(http.Lang()) : await http.Write(command with { Secrets = secrets }, ct);
        }).Requires(Callers.Merchant, Permission.Owner).WithName("RotateWebhookSecret")
            .WithSummary("Replace the signing secret; the new one is in this answer only. Until overlap (ISO 8601, default PT24H, at most P7D) has passed, deliveries carry a signature with each secret.")
            .Produces<RotatedWebhookSecret>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        g.MapGet("/", async (HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            var p = http.Principal();
            if (p.Kind == PrincipalKind.Creator)
            {
                return Result.Forbidden("Webhooks are for a shop's merchant or the admin.", "Webhook 仅供店铺商家或管理员使用。").ToHttp();
            }
            var shop = p.IsAdmin ? null : p.ShopId;
            var rows = await db.WebhookSubscriptions.AsNoTracking()
                .Where(s => p.IsAdmin || s.ShopId == shop)
                .OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(ct);
            return Result.Ok(rows.Select(WebhookView.From).ToArray()).ToHttp();
        }).Requires(Callers.Merchant, Permission.Owner).WithName("ListWebhooks").WithSummary("Webhook subscriptions without their secrets: the admin's all, a merchant's its shop's.")
            .Produces<WebhookView[]>().ProducesProblem(403);

        g.MapGet("/{id}", async (string id, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            var row = await Visible(http, db, id, ct);
            return row is null ? http.NotFound("webhook") : Result.Ok(WebhookView.From(row)).ToHttp();
        }).Requires(Callers.Merchant, Permission.Owner).WithName("GetWebhook").WithSummary("One webhook subscription, without its secret.").Produces<WebhookView>().ProducesProblem(404);

        g.MapDelete("/{id}", (string id, HttpContext http, CancellationToken ct) => http.Write(new DisableWebhook(id), ct))
            .Requires(Callers.Merchant, Permission.Owner).WithName("DisableWebhook").WithSummary("Disable a subscription: nothing more is sent to it; its delivery history stays.")
            .Produces<WebhookView>().ProducesProblem(404);

        g.MapGet("/{id}/deliveries", async (string id, string? state, long? after, int? limit, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            if (limit is < 1 or > MaxLimit)
            {
                return http.Invalid("limit", $"must be between 1 and {MaxLimit}");
            }
            if (state is not (null or DeliveryStates.Pending or DeliveryStates.Delivered or DeliveryStates.Dead))
            {
                return http.Invalid("state", "must be one of: pending, delivered, dead");
            }
            var sub = await Visible(http, db, id, ct);
            if (sub is null)
            {
                return http.NotFound("webhook");
            }
            var take = limit ?? 100;
            var from = after ?? 0;
            var rows = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.SubscriptionId == id && d.EventSeq > from && (state == null || d.State == state))
                .OrderBy(d => d.EventSeq).Take(take + 1).ToListAsync(ct);
            var page = rows.Take(take).ToList();
            var ids = page.Select(d => d.Id).ToList();
            var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(ct))
                .ToLookup(a => a.DeliveryId, StringComparer.Ordinal);
            var items = page.Select(d => DeliveryView.From(d, attempts[d.Id])).ToArray();
            return Result.Ok(new Page<DeliveryView>(items, rows.Count > take ? items[^1].EventSeq : null)).ToHttp();
        }).Requires(Callers.Merchant, Permission.Owner).WithName("ListWebhookDeliveries")
            .WithSummary("The subscription's deliveries in event order with every try (delivery history); after = the last eventSeq seen, state = pending|delivered|dead.")
            .Produces<Page<DeliveryView>>().ProducesProblem(400).ProducesProblem(404);

        g.MapGet("/{id}/deliveries/{deliveryId}", async (string id, string deliveryId, HttpContext http, BinderyDb db, CancellationToken ct) =>
        {
            var sub = await Visible(http, db, id, ct);
            var d = sub is null ? null
                : await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(x => x.Id == deliveryId && x.SubscriptionId == id, ct);
            if (d is null)
            {
                return http.NotFound(sub is null ? "webhook" : "delivery");
            }
            var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == d.Id).ToListAsync(ct);
            return Result.Ok(DeliveryView.From(d, attempts)).ToHttp();
        }).Requires(Callers.Merchant, Permission.Owner).WithName("GetWebhookDelivery").WithSummary("One delivery with every try.").Produces<DeliveryView>().ProducesProblem(404);

        g.MapPost("/{id}/deliveries/{deliveryId}/redeliver", (string id, string deliveryId, HttpContext http, CancellationToken ct) =>
            http.Write(new Redeliver(id, deliveryId), ct))
            .Requires(Callers.Merchant, Permission.Owner).WithName("RedeliverWebhookDelivery").WithSummary("Send a delivered or dead-lettered delivery again, starting a new round of retries.")
            .Produces<RedeliveredView>().ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/{id}/redeliver-dead", (string id, HttpContext http, CancellationToken ct) => http.Write(new Redeliver(id, null), ct))
            .Requires(Callers.Merchant, Permission.Owner).WithName("RedeliverDeadWebhookDeliveries").WithSummary("Send every dead-lettered delivery of the subscription again, in event order.")
            .Produces<RedeliveredView>().ProducesProblem(404).ProducesProblem(409);
    }

    private static async Task<WebhookSubscriptionRow?> Visible(HttpContext http, BinderyDb db, string id, CancellationToken ct)
    {
        var row = await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        return row is not null && WebhookAccess.Sees(http.Principal(), row) ? row : null;
    }
}

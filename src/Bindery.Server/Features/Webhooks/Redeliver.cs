using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Webhooks;

/// <summary>
/// Sends deliveries again on demand: one delivered or dead-lettered delivery, or every dead-lettered one of the
/// subscription. Each starts a new round of the retry policy, due now, in its queue's event order.
/// </summary>
public sealed record Redeliver(string SubscriptionId, string? DeliveryId) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var sub = await ctx.Db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == SubscriptionId, ct);
        if (sub is null || !WebhookAccess.Sees(ctx.Actor.Principal, sub))
        {
            return Result.NotFound("webhook");
        }
        List<WebhookDeliveryRow> rows;
        if (DeliveryId is not null)
        {
            var one = await ctx.Db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == DeliveryId && d.SubscriptionId == SubscriptionId, ct);
            if (one is null)
            {
                return Result.NotFound("delivery");
            }
            if (one.State == DeliveryStates.Pending)
            {
                return Result.Refused("delivery_pending", "The delivery is already waiting to be sent; nothing was changed.", "该投递已在等待发送，未做任何更改。");
            }
            rows = [one];
        }
        else
        {
            rows = await ctx.Db.WebhookDeliveries.Where(d => d.SubscriptionId == SubscriptionId && d.State == DeliveryStates.Dead)
                .OrderBy(d => d.EventSeq).ToListAsync(ct);
        }
        if (!sub.Enabled)
        {
            return Result.Refused("webhook_disabled", "The webhook is disabled; nothing is sent to it and nothing was changed.", "该 Webhook 已停用，不会向其发送任何内容，未做任何更改。");
        }
        foreach (var d in rows)
        {
            d.State = DeliveryStates.Pending;
            d.RoundAttempts = 0;
            d.NextAttemptAt = ctx.Now;
            d.DeadAt = null;
            d.LeasedBy = null;
            d.LeasedUntil = null;
        }
        var ids = rows.Select(d => d.Id).ToArray();
        if (ids.Length > 0)
        {
            ctx.Record("webhook", sub.Id, "webhook.redelivery_requested", sub.ShopId, null, null, new { deliveryIds = ids });
        }
        return Result.Ok(new RedeliveredView(ids.Length, ids));
    }
}

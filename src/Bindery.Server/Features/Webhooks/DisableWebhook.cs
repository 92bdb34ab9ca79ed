using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Webhooks;

/// <summary>Stops a subscription: no new deliveries, nothing more is sent; its delivery history stays readable.</summary>
public sealed record DisableWebhook(string Id) : IWriteCommand
{
    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var row = await ctx.Db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == Id, ct);
        if (row is null || !WebhookAccess.Sees(ctx.Actor.Principal, row))
        {
            return Result.NotFound("webhook");
        }
        if (!row.Enabled)
        {
            return Result.Ok(WebhookView.From(row));
        }
        var before = WebhookView.From(row);
        row.Enabled = false;
        row.DisabledAt = ctx.Now;
        row.DisabledBy = ctx.Actor.Name;
        var after = WebhookView.From(row);
        ctx.Record("webhook", row.Id, "webhook.disabled", row.ShopId, null, before, after);
        return Result.Ok(after);
    }
}

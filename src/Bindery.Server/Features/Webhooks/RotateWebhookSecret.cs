using System.Text.Json.Serialization;
using Bindery.Domain;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Webhooks;

/// <summary>
/// Replaces a subscription's signing secret. The new one is in the answer only; during the overlap window every
/// delivery is signed with both (<c>t=…,v1=new,v1=old</c>) so the receiver can switch at its own pace, then with the
/// new one only. Rotating again within a window drops the oldest secret: only the current one overlaps with the next.
/// </summary>
public sealed record RotateWebhookSecret(string Id, TimeSpan Overlap) : IWriteCommand
{
    /// <summary>Issues and encrypts the secret; not part of the request (an idempotent replay hashes the request only).</summary>
    [JsonIgnore]
    public WebhookSecrets? Secrets { get; init; }

    public static (RotateWebhookSecret? Command, FieldErrors Errors) From(string id, RotateSecretInput? input)
    {
        var e = new FieldErrors();
        var overlap = WebhookSecrets.DefaultOverlap;
        if (input?.Overlap is { } text && (!IsoDuration.TryParse(text, out overlap) || overlap < TimeSpan.Zero || overlap > WebhookSecrets.MaxOverlap))
        {
            e.Add("overlap", "must be an ISO 8601 duration from PT0S to P7D, e.g. PT24H (the default); PT0S ends the old secret at once");
        }
        return e.Any ? (null, e) : (new RotateWebhookSecret(id, overlap), e);
    }

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var secrets = Secrets ?? throw new InvalidOperationException("RotateWebhookSecret needs the webhook secrets service");
        var row = await ctx.Db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == Id, ct);
        if (row is null || !WebhookAccess.Sees(ctx.Actor.Principal, row))
        {
            return Result.NotFound("webhook");
        }
        if (!row.Enabled)
        {
            return Result.Refused("webhook_disabled", "The webhook is disabled; its secret signs nothing and was not changed.", "该 Webhook 已停用，其密钥不签署任何内容，未做更改。");
        }
        var before = WebhookView.From(row);
        var issued = secrets.Issue();
        // The replaced secret keeps signing during the window, encrypted like the new one (even if it was stored in clear).
        var current = secrets.Protected(row.Secret, row.SecretProtected);
        row.PreviousSecret = Overlap > TimeSpan.Zero ? current : null;
        row.PreviousSecretExpiresAt = Overlap > TimeSpan.Zero ? ctx.Now + Overlap : null;
        row.Secret = issued.Protected;
        row.SecretProtected = true;
        row.SecretRotatedAt = ctx.Now;
        var after = WebhookView.From(row);
        ctx.Record("webhook", row.Id, "webhook.secret_rotated", row.ShopId, null, before, after);
        return Result.Ok(new RotatedWebhookSecret(issued.Plain, after));
    }
}

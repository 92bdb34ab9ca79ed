using System.Text.Json.Serialization;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Webhooks;

/// <summary>
/// subscribe a URL to a shop's events (its merchant, or the admin) or to every event (the admin). The secret that
/// signs the deliveries is in the answer only.
/// </summary>
public sealed record CreateWebhook(string Url, string? ShopId, string[]? EventTypes, string? Description) : IWriteCommand
{
    public const int MaxEventTypes = 50;

    /// <summary>Issues and encrypts the secret; not part of the request (an idempotent replay hashes the request only).</summary>
    [JsonIgnore]
    public WebhookSecrets? Secrets { get; init; }

    public static (CreateWebhook? Command, FieldErrors Errors) From(WebhookInput input)
    {
        var e = new FieldErrors();
        var url = ValidUrl(e, input.Url);
        var shopId = e.Id("shopId", input.ShopId, required: false);
        string[]? types = null;
        if (input.EventTypes is not null)
        {
            if (input.EventTypes.Length is 0 or > MaxEventTypes)
            {
                e.Add("eventTypes", $"list 1 to {MaxEventTypes} event types, or omit it to receive every event");
            }
            else if (input.EventTypes.Any(t => t is null || !IsEventType(t)))
            {
                e.Add("eventTypes", "each must be an event type such as binding.ended: lower-case letters, digits, '_' and '.', at most 100 characters");
            }
            else
            {
                types = input.EventTypes.Distinct(StringComparer.Ordinal).ToArray();
            }
        }
        if (input.Description is { Length: > 200 })
        {
            e.Add("description", "at most 200 characters");
        }
        return e.Any || url is null ? (null, e) : (new CreateWebhook(url, shopId, types, input.Description), e);
    }

    /// <summary>An absolute http or https URL without user information, at most 2000 characters.</summary>
    public static string? ValidUrl(FieldErrors e, string? url)
    {
        if (url is null)
        {
            e.Add("url", "is required");
            return null;
        }
        if (url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
        {
            e.Add("url", "must be an absolute http or https URL without user information, e.g. https://example.com/hooks/bindery");
            return null;
        }
        return uri.AbsoluteUri;
    }

    private static bool IsEventType(string t) =>
        t.Length is > 0 and <= 100 && char.IsAsciiLetterLower(t[0]) && t.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.');

    public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
    {
        var p = ctx.Actor.Principal;
        string? shopId;
        switch (p.Kind)
        {
            case PrincipalKind.Creator:
                return Result.Forbidden("Webhooks are for a shop's merchant or the admin.", "Webhook 仅供店铺商家或管理员使用。");
            case PrincipalKind.Merchant:
                // A merchant subscribes its own shop; naming another shop reveals nothing about it.
                if (ShopId is not null && !p.ActsForShop(ShopId))
                {
                    return Result.NotFound("shop");
                }
                shopId = p.ShopId;
                break;
            default:
                shopId = ShopId;
                break;
        }
        if (shopId is not null && !await ctx.Db.Shops.AnyAsync(s => s.Id == shopId, ct))
        {
            return Result.NotFound("shop");
        }
        var secret = (Secrets ?? throw new InvalidOperationException("CreateWebhook needs the webhook secrets service")).Issue();
        var row = new WebhookSubscriptionRow
        {
            Id = Ids.New("whk"),
            ShopId = shopId,
            Url = Url,
            Secret = secret.Protected,
            SecretProtected = true,
            EventTypes = EventTypes is null ? null : string.Join(',', EventTypes),
            Description = Description,
            Enabled = true,
            // Events from now on: the feed's end as this transaction sees it.
            AfterSeq = await ctx.Db.Events.MaxAsync(e => (long?)e.Seq, ct) ?? 0,
            CreatedAt = ctx.Now,
            CreatedBy = ctx.Actor.Name,
        };
        ctx.Db.WebhookSubscriptions.Add(row);
        var view = WebhookView.From(row);
        ctx.Record("webhook", row.Id, "webhook.created", shopId, null, null, view);
        return Result.Created(new CreatedWebhook(secret.Plain, view), $"/api/v1/webhooks/{row.Id}");
    }
}

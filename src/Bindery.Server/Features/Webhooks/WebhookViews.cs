using Bindery.Persistence;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Features.Webhooks;

/// <summary>The body of POST /webhooks.</summary>
public sealed record WebhookInput(string? Url, string? ShopId, string[]? EventTypes, string? Description);

/// <summary>The body of POST /webhooks/{id}/rotate-secret (optional): how long the replaced secret still signs, ISO 8601 (default PT24H, at most P7D).</summary>
public sealed record RotateSecretInput(string? Overlap);

/// <summary>
/// A subscription as the API shows it: never its secret. <see cref="SecretRotatedAt"/> is the last rotation;
/// until <see cref="PreviousSecretExpiresAt"/> deliveries are signed with the replaced secret too.
/// </summary>
public sealed record WebhookView(string Id, string Scope, string? ShopId, string Url, string[]? EventTypes, string? Description,
    bool Enabled, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? DisabledAt, string? DisabledBy,
    DateTimeOffset? SecretRotatedAt, DateTimeOffset? PreviousSecretExpiresAt)
{
    public static WebhookView From(WebhookSubscriptionRow s) => new(s.Id, s.ShopId is null ? "platform" : "shop", s.ShopId, s.Url,
        s.EventTypes?.Split(','), s.Description, s.Enabled, s.CreatedAt, s.CreatedBy, s.DisabledAt, s.DisabledBy,
        s.SecretRotatedAt, s.PreviousSecret is null ? null : s.PreviousSecretExpiresAt);
}

/// <summary>The answer to a rotation: the new signing secret, shown this once.</summary>
public sealed record RotatedWebhookSecret(string? Secret, WebhookView Subscription) : IReplayRedacted
{
    /// <summary>An idempotent replay does not show the secret again.</summary>
    public object ForReplay() => this with { Secret = null };
}

/// <summary>The answer to a creation: the signing secret, shown this once.</summary>
public sealed record CreatedWebhook(string? Secret, WebhookView Subscription) : IReplayRedacted
{
    /// <summary>An idempotent replay does not show the secret again.</summary>
    public object ForReplay() => this with { Secret = null };
}

/// <summary>One event to send to one subscription, with every try.</summary>
public sealed record DeliveryView(string Id, string SubscriptionId, long EventSeq, string EventType, string? ShopId, string State,
    int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, int? LastStatus, string? LastError,
    DateTimeOffset? DeliveredAt, DateTimeOffset? DeadAt, IReadOnlyList<AttemptView> History)
{
    public static DeliveryView From(WebhookDeliveryRow d, IEnumerable<WebhookAttemptRow> attempts) => new(d.Id, d.SubscriptionId, d.EventSeq,
        d.EventType, d.ShopId, d.State, d.Attempts, d.State == DeliveryStates.Pending ? d.NextAttemptAt : null, d.CreatedAt, d.LastAttemptAt,
        d.LastStatus, d.LastError, d.DeliveredAt, d.DeadAt, attempts.OrderBy(a => a.Seq).Select(AttemptView.From).ToArray());
}

public sealed record AttemptView(int Attempt, DateTimeOffset At, long DurationMs, int? StatusCode, string? Error, string Node)
{
    public static AttemptView From(WebhookAttemptRow a) => new(a.Attempt, a.At, a.DurationMs, a.StatusCode, a.Error, a.Node);
}

public sealed record RedeliveredView(int Requeued, IReadOnlyList<string> DeliveryIds);

/// <summary>Who sees which subscription: the admin all; a merchant its own shop's; a creator none.</summary>
public static class WebhookAccess
{
    public static bool Sees(Principal p, WebhookSubscriptionRow s) =>
        p.IsAdmin || (p.Kind == PrincipalKind.Merchant && s.ShopId is not null && string.Equals(s.ShopId, p.ShopId, StringComparison.Ordinal));
}

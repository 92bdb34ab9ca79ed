namespace Bindery.Persistence;

/// <summary>X-2: an integrator's webhook, for one shop or (ShopId null) for every event of the platform.</summary>
public sealed class WebhookSubscriptionRow
{
    public required string Id { get; set; }

    /// <summary>The shop whose events are sent; null: every event (platform-wide, admin only).</summary>
    public string? ShopId { get; set; }
    public required string Url { get; set; }

    /// <summary>
    /// The signing secret, encrypted with Data Protection when <see cref="SecretProtected"/> (ADR 0017); a row written
    /// before migration 0007 holds it as issued until the next start encrypts it. Never returned by any API after
    /// creation or rotation (ADR 0012).
    /// </summary>
    public required string Secret { get; set; }

    /// <summary>True when <see cref="Secret"/> and <see cref="PreviousSecret"/> are Data Protection payloads, false for clear text.</summary>
    public bool SecretProtected { get; set; }

    /// <summary>The secret replaced by the last rotation (protected like <see cref="Secret"/>), still signing until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; set; }

    /// <summary>The end of the rotation's overlap window: until then deliveries carry a signature with each secret.</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    /// <summary>When the secret was last rotated (null: never).</summary>
    public DateTimeOffset? SecretRotatedAt { get; set; }

    /// <summary>Comma-separated event types to send; null: all.</summary>
    public string? EventTypes { get; set; }
    public string? Description { get; set; }
    public bool Enabled { get; set; }

    /// <summary>Only events after this sequence number are delivered (the feed's end when the subscription was created).</summary>
    public long AfterSeq { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public string? DisabledBy { get; set; }
}

/// <summary>Wire names of a delivery's state.</summary>
public static class DeliveryStates
{
    /// <summary>Waiting to be sent or retried (possibly leased by a node that is sending it now).</summary>
    public const string Pending = "pending";

    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Every try of the retry policy failed; sent again only on demand.</summary>
    public const string Dead = "dead";
}

/// <summary>
/// The outbox: one event to send to one subscription. Claimed by a node with a lease (LeasedBy/LeasedUntil) so that
/// no two nodes send it at once and a dead node's claim lapses.
/// </summary>
public sealed class WebhookDeliveryRow
{
    public required string Id { get; set; }
    public required string SubscriptionId { get; set; }
    public long EventSeq { get; set; }
    public required string EventType { get; set; }
    public string? ShopId { get; set; }

    /// <summary>Deliveries with the same subscription and order key are sent in event order: the shop id, or "" for events without a shop.</summary>
    public required string OrderKey { get; set; }
    public required string State { get; set; }

    /// <summary>Every try ever made.</summary>
    public int Attempts { get; set; }

    /// <summary>Tries since the delivery was (re)queued: the retry policy counts these.</summary>
    public int RoundAttempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LeasedUntil { get; set; }
    public string? LeasedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatus { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? DeadAt { get; set; }
}

/// <summary>One try of a delivery: when, how long, what the receiver answered (or why nothing came back).</summary>
public sealed class WebhookAttemptRow
{
    public long Seq { get; set; }
    public required string DeliveryId { get; set; }
    public required string SubscriptionId { get; set; }
    public int Attempt { get; set; }
    public DateTimeOffset At { get; set; }
    public long DurationMs { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
    public required string Node { get; set; }
}

using System.Text;
using System.Net.Http.Headers;
using System.Text.Json;
using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Features.Webhooks;

/// <summary>What one delivery pass did.</summary>
public sealed record DeliveryPass(int FannedOut, int Attempted, int Delivered, int Failed, int DeadLettered);

/// <summary>
/// Sends webhook deliveries (ADR 0012). A pass: fan out new events into deliveries (the events carry the outbox marker
/// from their own transaction), claim the due head of each (subscription, shop) queue with a lease, send it signed,
/// record the try and either finish it, schedule a retry with backoff and jitter, or dead-letter it. Safe on several
/// nodes sharing one database: claims are conditional UPDATEs, so a delivery is sent by one node at a time and a dead
/// node's lease lapses. Everything reads the injected clock, so tests drive passes with <see cref="DeliverDueAsync"/>.
/// </summary>
public sealed class WebhookDispatcher(
    IDbContextFactory<BinderyDb> dbs,
    TimeProvider clock,
    IHttpClientFactory httpClients,
    WebhookSecrets secrets,
    IOptions<WebhookOptions> options,
    WebhookMetrics metrics,
    ILogger<WebhookDispatcher> log)
{
    public const string HttpClientName = "webhooks";
    private const int FanoutBatch = 500;
    private const int MaxRoundsPerPass = 50;

    private readonly SemaphoreSlim pass = new(1, 1);
    private readonly WebhookOptions settings = options.Value;

    /// <summary>This node's name in leases and in the attempt history.</summary>
    public string Node { get; init; } = options.Value.NodeName
        ?? $"{Environment.MachineName}:{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>One pass: fan out, then send every delivery that is due now, queue by queue in event order.</summary>
    public async Task<DeliveryPass> DeliverDueAsync(CancellationToken ct)
    {
        await pass.WaitAsync(ct);
        try
        {
            var fanned = 0;
            for (var i = 0; i < 10; i++)
            {
                var n = await FanOutAsync(ct);
                fanned += n;
                if (n < FanoutBatch)
                {
                    break;
                }
            }
            int attempted = 0, delivered = 0, failed = 0, dead = 0;
            // A success makes the next delivery of the same queue due at once, so claim again until nothing is due.
            for (var round = 0; round < MaxRoundsPerPass; round++)
            {
                var claims = await ClaimAsync(ct);
                if (claims.Count == 0)
                {
                    break;
                }
                var outcomes = new string[claims.Count];
                await Parallel.ForEachAsync(Enumerable.Range(0, claims.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = ct },
                    async (i, token) => outcomes[i] = await SendAsync(claims[i], token));
                attempted += claims.Count;
                delivered += outcomes.Count(o => o == DeliveryStates.Delivered);
                dead += outcomes.Count(o => o == DeliveryStates.Dead);
                failed += outcomes.Count(o => o == "retry");
            }
            await RefreshBacklogAsync(ct);
            return new DeliveryPass(fanned, attempted, delivered, failed, dead);
        }
        finally
        {
            pass.Release();
        }
    }

    /// <summary>Counts pending deliveries of enabled subscriptions (a disabled one sends nothing) and dead ones, for the backlog gauge.</summary>
    public async Task RefreshBacklogAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var pending = await db.WebhookDeliveries.LongCountAsync(d => d.State == DeliveryStates.Pending
            && db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Enabled), ct);
        var dead = await db.WebhookDeliveries.LongCountAsync(d => d.State == DeliveryStates.Dead, ct);
        metrics.Set(pending, dead);
    }

    /// <summary>
    /// Turns marked events into deliveries for every enabled subscription that wants them, and clears the marks, in one
    /// transaction. Two nodes doing it at once collide on the unique (subscription, event) index: one rolls back.
    /// </summary>
    internal async Task<int> FanOutAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        if (!await db.Events.AnyAsync(e => e.FanoutPending, ct))
        {
            return 0;
        }
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var events = await db.Events.AsNoTracking().Where(e => e.FanoutPending).OrderBy(e => e.Seq).Take(FanoutBatch)
                .Select(e => new { e.Seq, e.Type, e.ShopId }).ToListAsync(ct);
            if (events.Count == 0)
            {
                return 0;
            }
            var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Enabled).ToListAsync(ct);
            var now = clock.GetUtcNow();
            foreach (var e in events)
            {
                foreach (var s in subscriptions)
                {
                    if (e.Seq > s.AfterSeq && (s.ShopId is null || string.Equals(s.ShopId, e.ShopId, StringComparison.Ordinal)) && Wants(s, e.Type))
                    {
                        db.WebhookDeliveries.Add(new WebhookDeliveryRow
                        {
                            Id = Ids.New("whd"),
                            SubscriptionId = s.Id,
                            EventSeq = e.Seq,
                            EventType = e.Type,
                            ShopId = e.ShopId,
                            OrderKey = e.ShopId ?? "",
                            State = DeliveryStates.Pending,
                            NextAttemptAt = now,
                            CreatedAt = now,
                        });
                    }
                }
            }
            var seqs = events.Select(e => e.Seq).ToList();
            await db.Events.Where(e => seqs.Contains(e.Seq)).ExecuteUpdateAsync(u => u.SetProperty(e => e.FanoutPending, false), ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return events.Count;
        }
        catch (DbUpdateException e)
        {
            log.LogInformation(e, "another node fanned out the same events; this node's fan-out was rolled back");
            return 0;
        }
    }

    private static bool Wants(WebhookSubscriptionRow s, string type) =>
        s.EventTypes is null || s.EventTypes.Split(',').Contains(type, StringComparer.Ordinal);

    internal sealed record Claim(WebhookDeliveryRow Delivery, DateTimeOffset Until);

    /// <summary>
    /// Leases the due head of each queue: the earliest pending delivery of its (subscription, shop), so a later event is
    /// never sent before an earlier one is delivered or dead-lettered. The lease is a conditional UPDATE on the row as it
    /// was read (same try count, still due, not leased by a live node): whoever updates it first sends it.
    /// </summary>
    internal async Task<List<Claim>> ClaimAsync(CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        const string pending = DeliveryStates.Pending;
        var heads = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.State == pending && d.NextAttemptAt <= now && (d.LeasedUntil == null || d.LeasedUntil <= now))
            .Where(d => db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Enabled))
            .Where(d => !db.WebhookDeliveries.Any(p => p.SubscriptionId == d.SubscriptionId && p.OrderKey == d.OrderKey
                && p.State == pending && p.EventSeq < d.EventSeq))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.EventSeq)
            .Take(settings.BatchSize)
            .ToListAsync(ct);
        var claims = new List<Claim>(heads.Count);
        foreach (var head in heads)
        {
            var until = now + settings.Lease;
            var attempts = head.Attempts;
            var taken = await db.WebhookDeliveries
                .Where(d => d.Id == head.Id && d.State == pending && d.Attempts == attempts && d.NextAttemptAt <= now
                    && (d.LeasedUntil == null || d.LeasedUntil <= now))
                .ExecuteUpdateAsync(u => u.SetProperty(d => d.LeasedUntil, until).SetProperty(d => d.LeasedBy, Node), ct);
            if (taken == 1)
            {
                claims.Add(new Claim(head, until));
            }
        }
        return claims;
    }

    /// <summary>Sends one claimed delivery and records the try; answers the delivery's outcome (delivered, retry, dead).</summary>
    private async Task<string> SendAsync(Claim claim, CancellationToken ct)
    {
        var d = claim.Delivery;
        byte[] body;
        WebhookSubscriptionRow subscription;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var ev = await db.Events.AsNoTracking().SingleAsync(e => e.Seq == d.EventSeq, ct);
            subscription = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == d.SubscriptionId, ct);
            body = JsonSerializer.SerializeToUtf8Bytes(EventView.From(ev), Json.Options);
        }
        int? status = null;
        string? error = null;
        var started = clock.GetTimestamp();
        try
        {
            var signing = secrets.Signing(subscription, clock.GetUtcNow());
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            var sentAt = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().ToUnixTimeSeconds());
            // The message id stays the same on every retry of the delivery, so a receiver can drop repeats.
            request.Headers.TryAddWithoutValidation(StandardSignature.IdHeader, d.Id);
            request.Headers.TryAddWithoutValidation(StandardSignature.TimestampHeader, sentAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(StandardSignature.SignatureHeader, StandardSignature.Sign(signing, d.Id, sentAt, Encoding.UTF8.GetString(body)));
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Sign(signing, sentAt.ToUnixTimeSeconds(), body));
            request.Headers.TryAddWithoutValidation("Bindery-Event-Id", d.EventSeq.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("Bindery-Event-Type", d.EventType);
            request.Headers.TryAddWithoutValidation("Bindery-Delivery-Id", d.Id);
            request.Headers.TryAddWithoutValidation("Bindery-Attempt", (d.Attempts + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var timeout = new CancellationTokenSource(settings.Timeout, clock);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                error = $"HTTP {status.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)} {response.ReasonPhrase}";
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            error = $"no answer within {settings.Timeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s";
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookDestinationForbiddenException refused)
        {
            // The connect-time SSRF guard: nothing was sent, no socket was opened to the refused address.
            error = Trim(refused.Message);
        }
        catch (HttpRequestException e)
        {
            error = Trim(e.Message);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            error = "the signing secret cannot be decrypted: its Data Protection key is not in the key ring (rotate the secret)";
        }
        catch (InvalidOperationException e)
        {
            error = Trim(e.Message);
        }
        var took = clock.GetElapsedTime(started);
        var success = error is null;
        var round = d.RoundAttempts + 1;
        var outcome = success ? DeliveryStates.Delivered : round >= settings.MaxAttempts ? DeliveryStates.Dead : "retry";
        await Record(claim, outcome, round, status, error, took, ct);
        BinderyMetrics.WebhookAttempt(outcome, took);
        if (!success)
        {
            log.LogWarning("webhook {DeliveryId} (event {EventSeq}, subscription {SubscriptionId}) try {Attempt} failed: {Error}; {Outcome}",
                d.Id, d.EventSeq, d.SubscriptionId, d.Attempts + 1, error, outcome == "retry" ? "will retry" : "dead-lettered");
        }
        return outcome;
    }

    private async Task Record(Claim claim, string outcome, int round, int? status, string? error, TimeSpan took, CancellationToken ct)
    {
        var d = claim.Delivery;
        var now = clock.GetUtcNow();
        var attempts = d.Attempts + 1;
        var next = outcome == "retry" ? now + settings.Backoff(round, Random.Shared.NextDouble()) : d.NextAttemptAt;
        var state = outcome == "retry" ? DeliveryStates.Pending : outcome;
        DateTimeOffset? deliveredAt = outcome == DeliveryStates.Delivered ? now : d.DeliveredAt;
        DateTimeOffset? deadAt = outcome == DeliveryStates.Dead ? now : null;
        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var node = Node;
        var until = claim.Until;
        var updated = await db.WebhookDeliveries
            .Where(x => x.Id == d.Id && x.LeasedBy == node && x.LeasedUntil == until)
            .ExecuteUpdateAsync(u => u
                .SetProperty(x => x.State, state)
                .SetProperty(x => x.Attempts, attempts)
                .SetProperty(x => x.RoundAttempts, round)
                .SetProperty(x => x.NextAttemptAt, next)
                .SetProperty(x => x.LastAttemptAt, now)
                .SetProperty(x => x.LastStatus, status)
                .SetProperty(x => x.LastError, error)
                .SetProperty(x => x.DeliveredAt, deliveredAt)
                .SetProperty(x => x.DeadAt, deadAt)
                .SetProperty(x => x.LeasedUntil, (DateTimeOffset?)null)
                .SetProperty(x => x.LeasedBy, (string?)null), ct);
        if (updated == 0)
        {
            // The lease lapsed and another node took the delivery over: it will send again (at least once); the try still happened.
            log.LogWarning("webhook {DeliveryId}: lease lost before the try was recorded; another node owns it now", d.Id);
        }
        db.WebhookAttempts.Add(new WebhookAttemptRow
        {
            DeliveryId = d.Id,
            SubscriptionId = d.SubscriptionId,
            Attempt = attempts,
            At = now,
            DurationMs = (long)took.TotalMilliseconds,
            StatusCode = status,
            Error = error,
            Node = Node,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static string Trim(string message) => message.Length <= 500 ? message : message[..500];
}

/// <summary>Runs delivery passes in the background every <see cref="WebhookOptions.PollInterval"/> (zero: off).</summary>
public sealed class WebhookService(WebhookDispatcher dispatcher, IOptions<WebhookOptions> options, ILogger<WebhookService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PollInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await dispatcher.DeliverDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "webhook delivery pass failed; it runs again in {Interval}", interval);
            }
        }
    }
}

using System.Diagnostics.Metrics;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Features.Webhooks;

/// <summary>
/// The webhook backlog as a gauge of this host's meter (from <see cref="IMeterFactory"/>, so that several hosts in one
/// process, as in the tests, each report their own database): deliveries by state, refreshed before each scrape and
/// after each delivery pass.
/// </summary>
public sealed class WebhookMetrics
{
    private long pending;
    private long dead;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(BinderyMetrics.MeterName);
        meter.CreateObservableGauge("bindery.webhook.backlog", () => new[]
        {
            new Measurement<long>(Interlocked.Read(ref pending), new KeyValuePair<string, object?>("state", "pending")),
            new Measurement<long>(Interlocked.Read(ref dead), new KeyValuePair<string, object?>("state", "dead")),
        }, description: "Webhook deliveries waiting to be sent (pending) and dead-lettered ones (dead), in this host's database.");
    }

    public void Set(long pendingCount, long deadCount)
    {
        Interlocked.Exchange(ref pending, pendingCount);
        Interlocked.Exchange(ref dead, deadCount);
    }
}

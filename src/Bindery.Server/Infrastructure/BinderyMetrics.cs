using System.Diagnostics;
using System.Diagnostics.Metrics;
using Bindery.Domain;

namespace Bindery.Server.Infrastructure;

/// <summary>
/// The "Bindery" meter (System.Diagnostics.Metrics): request rates and latencies, rule decisions by outcome and rule,
/// how late time-driven transitions were settled, and webhook delivery outcomes. Exposed at /metrics in Prometheus
/// text format by <see cref="PrometheusExporter"/>. These instruments are process-wide; the webhook backlog
/// is a per-host gauge (<see cref="WebhookMetrics"/>), because it is read from the host's database.
/// </summary>
public static class BinderyMetrics
{
    public const string MeterName = "Bindery";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("bindery.http.requests", description: "HTTP requests answered, by route template, method and status.");

    private static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>("bindery.http.request.duration", "s",
        "Time to answer an HTTP request, by route template, method and status.");

    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>("bindery.decisions",
        description: "Rule decisions by action, path (check = dry run, write = a command), outcome and rule id (\"none\" when allowed; a denial counts once per failing rule).");

    private static readonly Histogram<double> SweepLagSeconds = Meter.CreateHistogram<double>("bindery.sweep.lag", "s",
        "Time between the instant a time-driven transition fell due and the instant it was settled, by transition.");

    private static readonly Counter<long> WebhookAttempts = Meter.CreateCounter<long>("bindery.webhook.attempts",
        description: "Webhook delivery tries by outcome: delivered, retry (failed, will be tried again), dead (failed, dead-lettered).");

    private static readonly Histogram<double> WebhookDuration = Meter.CreateHistogram<double>("bindery.webhook.attempt.duration", "s",
        "Time for one webhook delivery try, until the receiver answered or the try failed.");

    private static readonly Counter<long> WriteBatches = Meter.CreateCounter<long>("bindery.write.batches",
        description: "Write transactions committed by the group-commit writer (ADR 0016).");

    private static readonly Counter<long> WriteCommands = Meter.CreateCounter<long>("bindery.write.commands",
        description: "Commands run in committed write transactions; commands / batches is the batching factor (ADR 0016).");

    private static readonly Histogram<double> WriteBatchDuration = Meter.CreateHistogram<double>("bindery.write.batch.duration", "s",
        "Time from opening a write transaction to its durable commit, by batch.");

    private static readonly Counter<long> WritesRefused = Meter.CreateCounter<long>("bindery.writes.refused", description:
        "Writes answered 503 overloaded at once because the writer queue could not serve them in time.");

    /// <summary>A write refused by admission (the queue was too long to serve it in time).</summary>
    public static void WriteRefused() => WritesRefused.Add(1);

    /// <summary>One committed batch of the write pipeline: how many commands it held and how long it took to commit.</summary>
    public static void WriteBatch(int commands, TimeSpan duration)
    {
        WriteBatches.Add(1);
        WriteCommands.Add(commands);
        WriteBatchDuration.Record(duration.TotalSeconds);
    }

    public static void Request(string route, string method, int status, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "route", route },
            { "method", method },
            { "status", status.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        Requests.Add(1, tags);
        RequestDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Counts one decision of <see cref="Rules.Decide"/> (or another rule set) on the check or write path.</summary>
    public static void Decision(string action, string path, Decision decision)
    {
        if (decision.IsAllowed)
        {
            Decisions.Add(1, new TagList { { "action", action }, { "path", path }, { "outcome", "allowed" }, { "rule", "none" } });
            return;
        }
        foreach (var rule in decision.Reasons.Select(r => r.Rule).Distinct(StringComparer.Ordinal))
        {
            Decisions.Add(1, new TagList { { "action", action }, { "path", path }, { "outcome", "denied" }, { "rule", rule } });
        }
    }

    public static void Decision(BindingAction action, string path, Decision decision) => Decision(Wire.Name(action), path, decision);

    public static void SweepLag(string transition, TimeSpan lag) =>
        SweepLagSeconds.Record(Math.Max(0, lag.TotalSeconds), new TagList { { "transition", transition } });

    public static void WebhookAttempt(string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "outcome", outcome } };
        WebhookAttempts.Add(1, tags);
        WebhookDuration.Record(duration.TotalSeconds, tags);
    }
}

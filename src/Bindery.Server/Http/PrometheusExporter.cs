using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Http;

/// <summary>
/// Listens to the "Bindery" meter (the process-wide instruments and this host's own, created by its
/// <see cref="IMeterFactory"/>) and writes them in the Prometheus text exposition format 0.0.4: counters as
/// <c>_total</c>, histograms as cumulative <c>_bucket</c>/<c>_sum</c>/<c>_count</c>, observable gauges read at scrape time.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Upper bounds (seconds) of the histogram buckets: request latencies up to sweep lags of an hour.</summary>
    private static readonly double[] Bounds = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, Series>> data = new();
    private readonly object scrapeLock = new();

    public PrometheusExporter(IMeterFactory meters)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BinderyMetrics.MeterName && (instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, meters)))
            {
                data.TryAdd(instrument, new ConcurrentDictionary<string, Series>(StringComparer.Ordinal));
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
    }

    private sealed class Series(string labels)
    {
        public string Labels { get; } = labels;
        public double Sum;
        public long Count;
        public double Last;
        public readonly long[] Buckets = new long[Bounds.Length];
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!data.TryGetValue(instrument, out var series))
        {
            return;
        }
        var labels = Labels(tags);
        var s = series.GetOrAdd(labels, l => new Series(l));
        lock (s)
        {
            s.Sum += value;
            s.Count++;
            s.Last = value;
            for (var b = 0; b < Bounds.Length; b++)
            {
                if (value <= Bounds[b])
                {
                    s.Buckets[b]++;
                }
            }
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var pairs = new List<KeyValuePair<string, string>>(tags.Length);
        foreach (var t in tags)
        {
            pairs.Add(new(Name(t.Key), Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? ""));
        }
        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return string.Join(",", pairs.Select(p => $"{p.Key}=\"{Escape(p.Value)}\""));
    }

    /// <summary>The exposition text of every instrument seen so far.</summary>
    public string Scrape()
    {
        lock (scrapeLock)
        {
            // Gauges report their current value: forget the last scrape's, then ask them.
            foreach (var (instrument, series) in data)
            {
                if (IsGauge(instrument))
                {
                    series.Clear();
                }
            }
            listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var (instrument, series) in data.OrderBy(d => d.Key.Name, StringComparer.Ordinal))
            {
                Write(text, instrument, series.Values.OrderBy(s => s.Labels, StringComparer.Ordinal).ToList());
            }
            return text.ToString();
        }
    }

    private static bool IsGauge(Instrument i) => i.GetType().Name.StartsWith("ObservableGauge", StringComparison.Ordinal);

    private static bool IsHistogram(Instrument i) => i.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);

    private static void Write(StringBuilder text, Instrument instrument, List<Series> series)
    {
        var name = Name(instrument.Name) + (instrument.Unit == "s" ? "_seconds" : "");
        var help = Escape(instrument.Description ?? instrument.Name).Replace("\\\"", "\"", StringComparison.Ordinal);
        if (IsHistogram(instrument))
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(" histogram\n");
            foreach (var s in series)
            {
                lock (s)
                {
                    for (var b = 0; b < Bounds.Length; b++)
                    {
                        Line(text, name + "_bucket", Join(s.Labels, $"le=\"{Number(Bounds[b])}\""), s.Buckets[b]);
                    }
                    Line(text, name + "_bucket", Join(s.Labels, "le=\"+Inf\""), s.Count);
                    Line(text, name + "_sum", s.Labels, s.Sum);
                    Line(text, name + "_count", s.Labels, s.Count);
                }
            }
            return;
        }
        var gauge = IsGauge(instrument);
        var metric = gauge ? name : name + "_total";
        text.Append("# HELP ").Append(metric).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(metric).Append(gauge ? " gauge\n" : " counter\n");
        foreach (var s in series)
        {
            lock (s)
            {
                Line(text, metric, s.Labels, gauge ? s.Last : s.Sum);
            }
        }
    }

    private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

    private static void Line(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }
        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Number(double v) =>
        double.IsPositiveInfinity(v) ? "+Inf" : double.IsNegativeInfinity(v) ? "-Inf" : double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Prometheus names: [a-zA-Z_:][a-zA-Z0-9_:]*; the meter's dots become underscores.</summary>
    private static string Name(string s)
    {
        var chars = s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_').ToArray();
        return char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    private static string Escape(string v) =>
        v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public void Dispose() => listener.Dispose();
}

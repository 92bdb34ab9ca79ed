using System.Diagnostics;

namespace Bindery.Bench;

/// <summary>One measurement: how many operations completed in the window, and their latencies.</summary>
public sealed record LoadResult(string Name, int Concurrency, double Seconds, long Ok, long Errors, double PerSecond,
    double P50Ms, double P99Ms, double MaxMs, double? TargetRate = null);

/// <summary>
/// A closed-loop load generator with bounded concurrency and a fixed duration (and an optional cap on the count).
/// With <c>rate</c> set, operations start on a fixed schedule (open loop, at most <c>concurrency</c> in flight):
/// used for the half-load runs. Latency is measured from the start of each operation to its answer.
/// </summary>
public static class LoadClient
{
    /// <param name="op">one operation; given a sequence number, returns true on the expected answer.</param>
    public static async Task<LoadResult> Run(string name, int concurrency, TimeSpan duration, Func<long, Task<bool>> op,
        long maxCount = long.MaxValue, double? rate = null)
    {
        long issued = -1, ok = 0, errors = 0;
        var latencies = new List<double>[concurrency];
        var total = Stopwatch.StartNew();
        var ticksPerOp = rate is { } r ? Stopwatch.Frequency / r : 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(4096);
            while (true)
            {
                var n = Interlocked.Increment(ref issued);
                if (n >= maxCount)
                {
                    return;
                }
                if (rate is not null)
                {
                    var due = start + (long)(n * ticksPerOp);
                    var wait = due - Stopwatch.GetTimestamp();
                    if (due >= end)
                    {
                        return;
                    }
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                    }
                }
                else if (Stopwatch.GetTimestamp() >= end)
                {
                    return;
                }
                var t0 = Stopwatch.GetTimestamp();
                bool good;
                try
                {
                    good = await op(n);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
                {
                    good = false;
                }
                var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (good)
                {
                    Interlocked.Increment(ref ok);
                    mine.Add(ms);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = total.Elapsed.TotalSeconds;
        var all = latencies.Where(l => l is not null).SelectMany(l => l).ToArray();
        Array.Sort(all);
        var result = new LoadResult(name, concurrency, seconds, ok, errors, ok / seconds,
            Pct(all, 0.50), Pct(all, 0.99), all.Length == 0 ? 0 : all[^1], rate);
        Report.Line(result);
        return result;
    }

    private static double Pct(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bindery.Bench;

public sealed record Row(string Section, string Name, LoadResult Full, LoadResult? Half);

public sealed record Target(string Name, string Rule, double Measured, double Bound, bool Met, string Note);

/// <summary>Collects the figures of one run and writes them as JSON and Markdown.</summary>
public sealed class Report
{
    public Dictionary<string, string> Machine { get; } = [];

    public List<Row> Rows { get; } = [];

    public Dictionary<string, double> Figures { get; } = [];

    public List<Target> Targets { get; } = [];

    public List<string> Notes { get; } = [];

    public string Command { get; set; } = "";

    public static string F(double v, int digits = 1) => v.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static void Line(LoadResult r) => Console.WriteLine(FormattableString.Invariant(
        $"  {r.Name,-44} c={r.Concurrency,3} {r.PerSecond,10:N0}/s ok={r.Ok} err={r.Errors} p50={r.P50Ms:N2}ms p99={r.P99Ms:N2}ms max={r.MaxMs:N1}ms{(r.TargetRate is { } t ? FormattableString.Invariant($" (paced at {t:N0}/s)") : "")}"));

    public void Add(string section, LoadResult full, LoadResult? half = null) => Rows.Add(new Row(section, full.Name, full, half));

    public void Check(string name, string rule, double measured, double bound, bool higherIsBetter, string note = "")
    {
        var met = higherIsBetter ? measured >= bound : measured <= bound;
        Targets.Add(new Target(name, rule, measured, bound, met, note));
    }

    public void Write(string dir)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "latest.json"), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        File.WriteAllText(Path.Combine(dir, "latest.md"), Markdown());
    }

    public string Markdown()
    {
        var sb = new StringBuilder();
        void L(FormattableString s) => sb.AppendLine(FormattableString.Invariant(s));
        L($"# Bindery benchmark results");
        sb.AppendLine();
        L($"Command: `{Command}`");
        sb.AppendLine();
        foreach (var (k, v) in Machine)
        {
            L($"- {k}: {v}");
        }
        sb.AppendLine();
        L($"| section | measurement | conc. | ok | errors | per second | p50 ms | p99 ms | max ms | half-load rate/s | half-load p99 ms |");
        L($"| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in Rows)
        {
            var f = r.Full;
            L($"| {r.Section} | {r.Name} | {f.Concurrency} | {f.Ok} | {f.Errors} | {F(f.PerSecond, 0)} | {F(f.P50Ms, 2)} | {F(f.P99Ms, 2)} | {F(f.MaxMs, 1)} | {(r.Half is { } h ? F(h.PerSecond, 0) : "")} | {(r.Half is { } h2 ? F(h2.P99Ms, 2) : "")} |");
        }
        sb.AppendLine();
        L($"| figure | value |");
        L($"| --- | ---: |");
        foreach (var (k, v) in Figures)
        {
            L($"| {k} | {F(v, 2)} |");
        }
        sb.AppendLine();
        L($"| target | rule | measured | bound | met | note |");
        L($"| --- | --- | ---: | ---: | --- | --- |");
        foreach (var t in Targets)
        {
            L($"| {t.Name} | {t.Rule} | {F(t.Measured, 2)} | {F(t.Bound, 2)} | {(t.Met ? "yes" : "**no**")} | {t.Note} |");
        }
        if (Notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var n in Notes)
            {
                L($"- {n}");
            }
        }
        return sb.ToString();
    }
}

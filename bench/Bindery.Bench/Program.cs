using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Bindery.Bench;

// bench/run.sh builds in Release and runs this: ceilings, Bindery on SQLite, the engine, the scale runs; writes bench/results/.
var opt = Options.Parse(args);
var report = new Report { Command = opt.Command };
Machine(report);
var work = Path.Combine(Path.GetTempPath(), "bindery-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(work);
var total = Stopwatch.StartNew();
if (opt.Profile is not null)
{
    await ProfileRun(opt, work);
    return 0;
}
try
{
    if (!opt.EngineOnly)
    {
        var pgCeiling = await Postgres.CreateDatabase(opt.Postgres, "bindery_bench_ceiling");
        await CeilingRuns(report, opt, work, pgCeiling);
        await BinderyRuns(report, opt, work);
        if (await Postgres.CreateDatabase(opt.Postgres, "bindery_bench_small") is { } pgSmall)
        {
            await BinderyRuns(report, opt, work, pgSmall);
        }
    }
    if (!opt.SkipEngine)
    {
        Engine(report);
    }
    if (!opt.EngineOnly && opt.LargeAccounts > 0)
    {
        await LargeRuns(report, opt, work);
    }
    Targets(report);
    report.Figures["harness wall time, s"] = total.Elapsed.TotalSeconds;
    report.Write(opt.Out);
    Console.WriteLine(report.Markdown());
    Console.WriteLine($"written: {Path.Combine(opt.Out, "latest.json")} and latest.md");
}
finally
{
    try
    {
        Directory.Delete(work, recursive: true);
    }
    catch (IOException)
    {
    }
}
return 0;

static void Machine(Report report)
{
    report.Machine["cpus (nproc)"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
    var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
    report.Machine["cpu"] = model?.Split(':', 2)[1].Trim() ?? "unknown";
    var mem = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
    report.Machine["memory"] = Report.F(long.Parse(mem.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0 / 1024.0, 1) + " GiB";
    report.Machine["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription;
    report.Machine["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
    report.Machine["load average at start"] = File.ReadAllText("/proc/loadavg").Trim();
}

static async Task CeilingRuns(Report report, Options opt, string work, string? postgres)
{
    Console.WriteLine("ceilings (in the bench process, 127.0.0.1)");
    await using var c = await Ceilings.Start(work, postgres);
    using var http = BinderyServer.Client(c.BaseUrl, opt.Concurrency);
    Func<long, Task<bool>> json = async _ =>
    {
        using var r = await http.GetAsync("/ceiling/json");
        await r.Content.ReadAsStringAsync();
        return r.IsSuccessStatusCode;
    };
    await LoadClient.Run("warm-up", opt.Concurrency, TimeSpan.FromSeconds(2), json);
    var a = await LoadClient.Run("ceiling (a) bare JSON endpoint", opt.Concurrency, opt.Duration, json);
    var ah = await LoadClient.Run("ceiling (a) half load", opt.Concurrency, opt.Duration, json, rate: a.PerSecond / 2);
    report.Add("ceiling", a, ah);
    Func<long, Task<bool>> insert = async _ =>
    {
        using var r = await http.PostAsync("/ceiling/insert", null);
        await r.Content.ReadAsStringAsync();
        return (int)r.StatusCode == 201;
    };
    var b = await LoadClient.Run("ceiling (b) bare endpoint, 1 SQLite INSERT", opt.Concurrency, opt.Duration, insert);
    var bh = await LoadClient.Run("ceiling (b) half load", opt.Concurrency, opt.Duration, insert, rate: b.PerSecond / 2);
    report.Add("ceiling", b, bh);
    if (postgres is not null)
    {
        Func<long, Task<bool>> insertPg = async _ =>
        {
            using var r = await http.PostAsync("/ceiling/insert-pg", null);
            await r.Content.ReadAsStringAsync();
            return (int)r.StatusCode == 201;
        };
        await LoadClient.Run("warm-up", opt.Concurrency, TimeSpan.FromSeconds(1), insertPg);
        var pc = await LoadClient.Run("ceiling (c) bare endpoint, 1 PostgreSQL INSERT", opt.Concurrency, opt.Duration, insertPg);
        var pch = await LoadClient.Run("ceiling (c) half load", opt.Concurrency, opt.Duration, insertPg, rate: pc.PerSecond / 2);
        report.Add("ceiling", pc, pch);
    }
    else
    {
        report.Notes.Add("Ceiling (c) and Bindery on PostgreSQL: not measured in this run (no PostgreSQL given: set BINDERY_BENCH_PG, see bench/run.sh).");
    }
    report.Add("ceiling", await c.RawInserts(opt.Duration));
}

// --profile check|invite: the 10k dataset, then one workload for --duration seconds, printing the server's pid so
// a profiler (dotnet-trace collect -p PID) can attach; no report is written.
static async Task ProfileRun(Options opt, string work)
{
    await using var s = await BinderyServer.Start(opt.ServerDll, Path.Combine(work, "profile"), opt.Concurrency);
    const int n = 10_000;
    await Dataset.Load(s, n, n, TimeSpan.FromMinutes(5));
    var ops = new Ops(s);
    long next = -1;
    Func<long, Task<bool>> op = opt.Profile == "invite"
        ? async _ => await ops.Invite(Interlocked.Increment(ref next) % n) is not null
        : i => ops.Check(i % n);
    await LoadClient.Run("warm-up", opt.Concurrency, TimeSpan.FromSeconds(2), op);
    Console.WriteLine($"server pid {s.Pid}: profiling {opt.Profile} for {opt.Duration.TotalSeconds} s");
    var cpu0 = s.CpuSeconds();
    var r = await LoadClient.Run(opt.Profile!, opt.Concurrency, opt.Duration, op);
    Console.WriteLine($"{r.Ok} ok, {r.PerSecond:F0}/s, p50 {r.P50Ms:F2} ms, p99 {r.P99Ms:F2} ms, server CPU ms/op {(s.CpuSeconds() - cpu0) * 1000 / r.Ok:F3}");
}

// The Bindery workloads on one store: SQLite (names as they are) or PostgreSQL (names prefixed "pg: ").
static async Task BinderyRuns(Report report, Options opt, string work, string? postgres = null)
{
    var p = postgres is null ? "" : "pg: ";
    var section = postgres is null ? "bindery 10k" : "bindery pg 10k";
    Console.WriteLine($"Bindery on {(postgres is null ? "SQLite" : "PostgreSQL")}, 10,000 accounts and 10,000 shops");
    await using var s = await BinderyServer.Start(opt.ServerDll, Path.Combine(work, postgres is null ? "small" : "small-pg"), opt.Concurrency, postgres);
    const int n = 10_000;
    var load = await Dataset.Load(s, n, n, TimeSpan.FromMinutes(5));
    report.Figures[p + "load 10,000 shops + 10,000 accounts, s"] = load.Seconds;
    report.Figures[p + "bulk import rate (10k), items/s"] = (load.Shops + load.Accounts) / load.Seconds;
    const int checkPairs = 1000;
    var checkFrom = n - checkPairs;
    var ops = new Ops(s);
    Func<long, Task<bool>> check = i => ops.Check(checkFrom + (i % checkPairs));
    await LoadClient.Run(p + "warm-up", opt.Concurrency, TimeSpan.FromSeconds(2), check);
    var cpu0 = s.CpuSeconds();
    var cf = await LoadClient.Run(p + "Bindery dry-run check (invite)", opt.Concurrency, opt.Duration, check);
    report.Figures[p + "server CPU ms per check (full load)"] = (s.CpuSeconds() - cpu0) * 1000 / cf.Ok;
    report.Figures[p + "server CPU utilisation during checks, cores"] = (s.CpuSeconds() - cpu0) / cf.Seconds;
    var ch = await LoadClient.Run(p + "Bindery dry-run check, half load", opt.Concurrency, opt.Duration, check, rate: cf.PerSecond / 2);
    report.Add(section, cf, ch);

    long nextPair = -1;
    var invited = new ConcurrentQueue<string>();
    Func<long, Task<bool>> invite = async _ =>
    {
        var i = Interlocked.Increment(ref nextPair);
        if (i >= checkFrom)
        {
            return false;
        }
        var id = await ops.Invite(i);
        if (id is null)
        {
            return false;
        }
        invited.Enqueue(id);
        return true;
    };
    var cpu1 = s.CpuSeconds();
    var w0 = await s.WriteCounters();
    var inf = await LoadClient.Run(p + "Bindery committed invitation", opt.Concurrency, opt.Duration, invite, maxCount: checkFrom * 4 / 10);
    var inviteCpu = s.CpuSeconds() - cpu1;
    var w1 = await s.WriteCounters();
    if (w1.Batches > w0.Batches)
    {
        report.Figures[p + "invitations: commands per write transaction (group commit)"] = (w1.Commands - w0.Commands) / (w1.Batches - w0.Batches);
    }
    report.Figures[p + "server CPU ms per invitation (full load)"] = inviteCpu * 1000 / inf.Ok;
    report.Figures[p + "server CPU utilisation during invitations, cores"] = inviteCpu / inf.Seconds;
    report.Figures[p + "write gate time per invitation (1 / rate), ms"] = 1000 / inf.PerSecond;
    var inh = await LoadClient.Run(p + "Bindery committed invitation, half load", opt.Concurrency, opt.Duration, invite, maxCount: checkFrom * 2 / 10, rate: inf.PerSecond / 2);
    report.Add(section, inf, inh);

    // Pools for the mixed workload: accepted bindings aged past TS-Q1 (for unlink requests) and pending unlink requests (for approvals).
    var active = new ConcurrentQueue<string>();
    var unlinks = new ConcurrentQueue<string>();
    var acceptCount = Math.Min(invited.Count / 2, 3000);
    Func<long, Task<bool>> accept = async _ =>
    {
        if (!invited.TryDequeue(out var id) || !await ops.Accept(id))
        {
            return false;
        }
        active.Enqueue(id);
        return true;
    };
    var acc = await LoadClient.Run(p + "Bindery accept (pool for the mix)", opt.Concurrency, opt.Duration, accept, maxCount: acceptCount);
    report.Add(section, acc);
    var (adv, advBody) = await s.Post("/api/v1/clock/advance", "{\"by\":\"PT25H\"}");
    if (adv != 200)
    {
        throw new InvalidOperationException("clock advance failed: " + advBody);
    }
    var unlinkCount = active.Count / 2;
    Func<long, Task<bool>> requestUnlink = async _ =>
    {
        if (!active.TryDequeue(out var id))
        {
            return false;
        }
        var u = await ops.RequestUnlink(id);
        if (u is null)
        {
            return false;
        }
        unlinks.Enqueue(u);
        return true;
    };
    var ul = await LoadClient.Run(p + "Bindery unlink request (pool for the mix)", opt.Concurrency, opt.Duration, requestUnlink, maxCount: unlinkCount);
    report.Add(section, ul);

    long substituted = 0;
    Func<long, Task<bool>> mixed = async k =>
    {
        var slot = k % 20;
        if (slot >= 14 && slot < 16)
        {
            return await invite(k);
        }
        if (slot >= 16 && slot < 18 && !invited.IsEmpty)
        {
            return await accept(k);
        }
        if (slot == 18 && !active.IsEmpty)
        {
            return await requestUnlink(k);
        }
        if (slot == 19 && unlinks.TryDequeue(out var u))
        {
            return await ops.Approve(u);
        }
        if (slot >= 16)
        {
            Interlocked.Increment(ref substituted);
        }
        return await check(k);
    };
    var mf = await LoadClient.Run(p + "Bindery mixed 70/10/10/5/5", opt.Concurrency, opt.Duration, mixed);
    var mh = await LoadClient.Run(p + "Bindery mixed, half load", opt.Concurrency, opt.Duration, mixed, rate: mf.PerSecond / 2);
    report.Add(section, mf, mh);
    report.Figures[p + "mixed: write slots run as checks (pool empty)"] = substituted;
    report.Figures[p + "server peak RSS (10k run), MiB"] = s.PeakRssMiB();
}

static async Task LargeRuns(Report report, Options opt, string work)
{
    var accounts = opt.LargeAccounts;
    var shops = accounts / 10;
    Console.WriteLine(FormattableString.Invariant($"Bindery on SQLite, {accounts:N0} accounts and {shops:N0} shops (load budget {opt.LoadBudget.TotalSeconds:N0} s)"));
    await using var s = await BinderyServer.Start(opt.ServerDll, Path.Combine(work, "large"), opt.Concurrency);
    var load = await Dataset.Load(s, shops, accounts, opt.LoadBudget);
    report.Figures["large: shops loaded"] = load.Shops;
    report.Figures["large: accounts loaded"] = load.Accounts;
    report.Figures["large: load time, s"] = load.Seconds;
    report.Figures["large: bulk import rate, items/s"] = (load.Shops + load.Accounts) / load.Seconds;
    if (load.Accounts < accounts)
    {
        report.Notes.Add(FormattableString.Invariant($"The large dataset did not finish loading within the {opt.LoadBudget.TotalSeconds:N0} s budget: {load.Accounts:N0} of {accounts:N0} accounts and {load.Shops:N0} of {shops:N0} shops were loaded; the large-scale figures are for what was loaded."));
    }
    var pairs = Math.Min(load.Shops, load.Accounts);
    if (pairs < 2000)
    {
        report.Notes.Add("Too little of the large dataset loaded to measure checks and invitations on it.");
        return;
    }
    var ops = new Ops(s);
    // Checks spread over the whole dataset (pairs from the upper half), invitations on the lower half.
    var checkBase = pairs / 2;
    var span = pairs - checkBase;
    Func<long, Task<bool>> check = i => ops.Check(checkBase + (i * 7919 % span));
    await LoadClient.Run("warm-up", opt.Concurrency, TimeSpan.FromSeconds(2), check);
    var cf = await LoadClient.Run("large: dry-run check", opt.Concurrency, opt.Duration, check);
    var ch = await LoadClient.Run("large: dry-run check, half load", opt.Concurrency, opt.Duration, check, rate: cf.PerSecond / 2);
    report.Add("bindery large", cf, ch);
    long next = -1;
    Func<long, Task<bool>> invite = async _ => await ops.Invite(Interlocked.Increment(ref next) * 3 % checkBase) is not null;
    var inf = await LoadClient.Run("large: committed invitation", opt.Concurrency, opt.Duration, invite, maxCount: checkBase / 2);
    var inh = await LoadClient.Run("large: committed invitation, half load", opt.Concurrency, opt.Duration, invite, maxCount: checkBase / 4, rate: inf.PerSecond / 2);
    report.Add("bindery large", inf, inh);
    report.Figures["server peak RSS (large run), MiB"] = s.PeakRssMiB();
}

static void Engine(Report report)
{
    Console.WriteLine("engine: BenchmarkDotNet, Rules.Decide (in-process toolchain, short job)");
    var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("short-inprocess");
    var config = ManualConfig.CreateMinimumViable().AddJob(job).AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
        .WithOptions(ConfigOptions.DisableOptimizationsValidator).WithArtifactsPath(Path.Combine(Path.GetTempPath(), "bindery-bdn"));
    var summary = BenchmarkRunner.Run<DecideBench>(config);
    foreach (var r in summary.Reports)
    {
        var name = r.BenchmarkCase.Descriptor.WorkloadMethod.Name;
        if (r.ResultStatistics is null)
        {
            report.Notes.Add("engine benchmark " + name + " produced no result");
            continue;
        }
        var ns = r.ResultStatistics.Mean;
        report.Figures[$"Decide {name}: ns/op"] = ns;
        report.Figures[$"Decide {name}: decisions/s (one core)"] = 1e9 / ns;
        report.Figures[$"Decide {name}: bytes allocated/op"] = r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? double.NaN;
    }
}

static void Targets(Report report)
{
    double Rps(string name) => report.Rows.FirstOrDefault(r => r.Name == name)?.Full.PerSecond ?? double.NaN;
    var a = Rps("ceiling (a) bare JSON endpoint");
    var b = Rps("ceiling (b) bare endpoint, 1 SQLite INSERT");
    var d = Rps("ceiling (d) raw SQLite INSERT tx");
    var checks = Rps("Bindery dry-run check (invite)");
    var invites = Rps("Bindery committed invitation");
    var c = Rps("ceiling (c) bare endpoint, 1 PostgreSQL INSERT");
    var pgInvites = Rps("pg: Bindery committed invitation");
    if (!double.IsNaN(c) && !double.IsNaN(pgInvites))
    {
        report.Figures["ratio pg invitations / ceiling (c)"] = pgInvites / c;
        report.Check("committed invitations/s on PostgreSQL vs ceiling (c)", ">= 0.8 x (c)", pgInvites / c, 0.8, true);
    }
    if (!double.IsNaN(b))
    {
        report.Figures["ratio invitations / ceiling (b)"] = invites / b;
        report.Figures["ratio invitations / ceiling (d)"] = invites / d;
        report.Figures["ratio ceiling (b) / ceiling (d)"] = b / d;
        report.Figures["ratio checks / ceiling (a)"] = checks / a;
        report.Check("committed invitations/s vs ceiling (b)", ">= 1.0 x (b)", invites / b, 1.0, true);
        report.Check("dry-run checks/s vs ceiling (a)", ">= 0.5 x (a)", checks / a, 0.5, true);
    }
    if (report.Figures.TryGetValue("Decide Allowed: decisions/s (one core)", out var dps))
    {
        report.Check("Decide allowed, decisions/s", ">= 1,000,000", dps, 1_000_000, true);
        report.Check("Decide allowed, bytes/op beyond the result", "0", report.Figures["Decide Allowed: bytes allocated/op"], 0, false, "the allowed result is a shared static instance");
    }
    var small = report.Rows.FirstOrDefault(r => r.Name == "Bindery dry-run check (invite)");
    var large = report.Rows.FirstOrDefault(r => r.Name == "large: dry-run check");
    if (small is not null && large is not null)
    {
        report.Check("check p99 large / 10k (full load)", "<= 1.5", large.Full.P99Ms / small.Full.P99Ms, 1.5, false);
        if (small.Half is { } sh && large.Half is { } lh)
        {
            report.Check("check p99 large / 10k (half load)", "<= 1.5", lh.P99Ms / sh.P99Ms, 1.5, false);
        }
    }
    var peak = Math.Max(report.Figures.GetValueOrDefault("server peak RSS (10k run), MiB"), report.Figures.GetValueOrDefault("server peak RSS (large run), MiB"));
    if (peak > 0)
    {
        report.Check("server peak RSS, MiB", "<= 512", peak, 512, false);
    }
    foreach (var r in report.Rows.Where(r => r.Half is not null && !r.Section.StartsWith("ceiling", StringComparison.Ordinal)))
    {
        report.Check("half-load p99 ms: " + r.Name, "<= 10", r.Half!.P99Ms, 10, false);
    }
}

internal sealed record Options(bool EngineOnly, bool SkipEngine, TimeSpan Duration, int Concurrency, long LargeAccounts, TimeSpan LoadBudget, string Out, string ServerDll, string Command, string? Profile = null, string? Postgres = null)
{
    public static Options Parse(string[] args)
    {
        string? Get(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        var root = FindRoot();
        return new Options(
            args.Contains("--engine"),
            args.Contains("--skip-engine"),
            TimeSpan.FromSeconds(double.Parse(Get("--duration") ?? "5", CultureInfo.InvariantCulture)),
            int.Parse(Get("--concurrency") ?? "32", CultureInfo.InvariantCulture),
            long.Parse(Get("--large-accounts") ?? "1000000", CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Get("--load-budget") ?? "240", CultureInfo.InvariantCulture)),
            Get("--out") ?? Path.Combine(root, "bench", "results"),
            Get("--server-dll") ?? Path.Combine(root, "src", "Bindery.Server", "bin", "Release", "net10.0", "Bindery.Server.dll"),
            Environment.GetEnvironmentVariable("BINDERY_BENCH_COMMAND") ?? "bench/run.sh " + string.Join(' ', args),
            Get("--profile"),
            Environment.GetEnvironmentVariable("BINDERY_BENCH_PG") is { Length: > 0 } pg ? pg : null);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Bindery.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}

/// <summary>The Bindery calls of the workloads, as admin from a GB network address (TS-E4).</summary>
internal sealed class Ops(BinderyServer s)
{
    public async Task<bool> Check(long pair)
    {
        var (status, body) = await s.Post("/api/v1/checks",
            $"{{\"action\":\"invite\",\"shopId\":\"{Dataset.ShopId(pair)}\",\"accountId\":\"{Dataset.AccountId(pair)}\",\"role\":\"official\"}}");
        return status == 200 && body.Contains("\"allowed\":true", StringComparison.Ordinal);
    }

    public async Task<string?> Invite(long pair)
    {
        var (status, body) = await s.Post($"/api/v1/shops/{Dataset.ShopId(pair)}/invitations",
            $"{{\"accountId\":\"{Dataset.AccountId(pair)}\",\"role\":\"official\"}}");
        return status == 201 ? Id(body) : null;
    }

    public async Task<bool> Accept(string id) => (await s.Post($"/api/v1/invitations/{id}/accept", "{}")).Status == 200;

    public async Task<string?> RequestUnlink(string bindingId)
    {
        var (status, body) = await s.Post($"/api/v1/bindings/{bindingId}/unlink-requests", "{\"reason\":\"bench\"}");
        return status == 201 ? Id(body) : null;
    }

    public async Task<bool> Approve(string id) => (await s.Post($"/api/v1/unlink-requests/{id}/approve", "{}")).Status == 200;

    private static string? Id(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("id", out var id) ? id.GetString() : null;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Bindery.Bench;

/// <summary>The real server, started from its Release build output on 127.0.0.1 with a temporary SQLite file, stopped by PID.</summary>
public sealed class BinderyServer : IAsyncDisposable
{
    public const string AdminToken = "bench-admin";
    private readonly Process process;
    private readonly StreamWriter log;

    private BinderyServer(Process process, StreamWriter log, string baseUrl, HttpClient http)
    {
        this.process = process;
        this.log = log;
        BaseUrl = baseUrl;
        Http = http;
    }

    public string BaseUrl { get; }

    public HttpClient Http { get; }

    public int Pid => process.Id;

    /// <summary>Starts the server on SQLite in <paramref name="dir"/>, or on the PostgreSQL database given.</summary>
    public static async Task<BinderyServer> Start(string serverDll, string dir, int connections, string? postgres = null)
    {
        Directory.CreateDirectory(dir);
        var port = FreePort();
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            serverDll, "--urls", url, "--Bindery:Mode=Test", "--Bindery:AdminToken=" + AdminToken,
            "--Bindery:EvidencePath=" + Path.Combine(dir, "evidence"),
        }.Concat(postgres is null
            ? ["--Bindery:ConnectionString=Data Source=" + Path.Combine(dir, "bindery.db")]
            : ["--Bindery:Database:Provider=postgres", "--Bindery:Database:ConnectionString=" + postgres]))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the server");
        var log = new StreamWriter(Path.Combine(dir, "server.log")) { AutoFlush = true };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var http = Client(url, connections);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        http.DefaultRequestHeaders.Add("X-Client-Country", "GB");
        var sw = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var r = await http.GetAsync("/health/live");
                if (r.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (p.HasExited || sw.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException($"the server did not start; see {Path.Combine(dir, "server.log")}");
            }
            await Task.Delay(100);
        }
        return new BinderyServer(p, log, url, http);
    }

    public static HttpClient Client(string baseUrl, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = new Uri(baseUrl),
        Timeout = TimeSpan.FromSeconds(60),
    };

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Peak resident memory of the server so far (VmHWM), in MiB.</summary>
    public double PeakRssMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kb / 1024.0;
            }
        }
        return double.NaN;
    }

    /// <summary>CPU time the server has used so far (user + system, from /proc/&lt;pid&gt;/stat, 100 ticks per second).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    public async Task<(int Status, string Body)> Post(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var r = await Http.PostAsync(path, content);
        return ((int)r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    /// <summary>The write pipeline's counters from /metrics: transactions committed and commands run in them (ADR 0016).</summary>
    public async Task<(double Batches, double Commands)> WriteCounters()
    {
        var text = await Http.GetStringAsync("/metrics");
        double Value(string metric) => text.Split('\n')
            .Where(l => l.StartsWith(metric, StringComparison.Ordinal) && (l.Length == metric.Length || l[metric.Length] is ' ' or '{'))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        return (Value("bindery_write_batches_total"), Value("bindery_write_commands_total"));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }
}

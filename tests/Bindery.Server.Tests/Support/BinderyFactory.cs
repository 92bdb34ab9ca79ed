using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Features.Webhooks;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bindery.Server.Tests;

/// <summary>
/// A real Bindery host per test class instance: its own SQLite file, or its own PostgreSQL database in the suite's
/// PostgreSQL pass (tests own their data; <see cref="TestDb"/>), test mode, a fake
/// clock starting at a fixed instant, and the admin token "test-admin".
/// </summary>
public sealed class BinderyFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly string dbPath = Path.Combine(Path.GetTempPath(), $"bindery-test-{Guid.NewGuid():N}.db");
    private string? pgConnection;

    /// <summary>This host's own evidence folder (DY-A5), removed with the host.</summary>
    public string EvidencePath { get; } = Path.Combine(Path.GetTempPath(), $"bindery-test-evidence-{Guid.NewGuid():N}");

    public ManualClock Clock { get; } = new(Start);

    public string Mode { get; init; } = "Test";

    /// <summary>Further configuration for this host (e.g. low rate limits, a JWT issuer), applied after the defaults.</summary>
    public Dictionary<string, string?> Settings { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Extra service registrations for this host (e.g. a code sender that stands for an SMS gateway).</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    /// <summary>
    /// The host's DNS for webhook destinations: names the test maps, nothing else resolves, so no test asks a real DNS
    /// server. IP literals never reach it.
    /// </summary>
    public FakeDns Dns { get; } = new();

    /// <summary>Every log line the host wrote, formatted (for tests that scan the log for secrets).</summary>
    public LogSink Logs { get; } = new();

    /// <summary>The host's PostgreSQL database in the PostgreSQL pass (null on SQLite).</summary>
    public string? PostgresConnection => pgConnection;

    /// <summary>The host's SQLite file (for tests that scan the stored bytes).</summary>
    public string DbPath => dbPath;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Bindery:Mode", Mode);
        builder.UseSetting("Bindery:AdminToken", "test-admin");
        if (TestDb.IsPostgres)
        {
            pgConnection ??= TestDb.CreatePostgres("h");
            builder.UseSetting("Bindery:Database:Provider", "postgres");
            builder.UseSetting("Bindery:Database:ConnectionString", pgConnection);
        }
        else
        {
            builder.UseSetting("Bindery:ConnectionString", $"Data Source={dbPath}");
        }
        builder.UseSetting("Bindery:SweepInterval", "00:00:00.200");
        builder.UseSetting("Bindery:EvidencePath", EvidencePath);
        // Test receivers listen on 127.0.0.1, which the webhook SSRF guard refuses unless the operator allows it.
        builder.UseSetting("Bindery:Webhooks:AllowedNetworks:0", "127.0.0.1/32");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(l => l.AddProvider(Logs));
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton(new ClockSource(Clock));
            s.AddSingleton<WebhookHostResolver>(Dns);
            ExtraServices?.Invoke(s);
        });
    }

    public HttpClient As(string token, string? country = "GB", string? language = null)
    {
        var c = CreateClient();
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (country is not null)
        {
            c.DefaultRequestHeaders.Add("X-Client-Country", country);
        }
        if (language is not null)
        {
            c.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }
        return c;
    }

    public HttpClient Admin() => As("test-admin");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        TestStoreCleanup.Remove(pgConnection, pgConnection is null ? dbPath : null, EvidencePath);
        pgConnection = null;
    }
}

/// <summary>Name resolution for webhook destinations from a table the test fills; other names do not resolve.</summary>
public sealed class FakeDns : WebhookHostResolver
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Net.IPAddress[]> names = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What <paramref name="name"/> resolves to from now on (DNS may change between subscription and delivery).</summary>
    public void Set(string name, params string[] addresses) => names[name] = addresses.Select(System.Net.IPAddress.Parse).ToArray();

    public override Task<System.Net.IPAddress[]> ResolveAsync(string host, CancellationToken ct) =>
        names.TryGetValue(host, out var found) ? Task.FromResult(found)
            : Task.FromException<System.Net.IPAddress[]>(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
}

public static class HttpJson
{
    public static async Task<JsonNode> Json(this HttpResponseMessage r) =>
        JsonNode.Parse(await r.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static Task<HttpResponseMessage> Post(this HttpClient c, string url, object? body = null) =>
        c.PostAsJsonAsync(url, body ?? new { });
}

/// <summary>Keeps every log message of a host in memory, fully formatted with its exception.</summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bindery.Persistence;
using Bindery.Server.Features.Webhooks;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Bindery.Server.Tests;

/// <summary>Operations: health, readiness, metrics in the Prometheus text format, structured request logs.</summary>
public sealed partial class OperationsTests : IDisposable
{
    private readonly LogCapture logs = new();
    private readonly BinderyFactory factory;

    public OperationsTests()
    {
        factory = new BinderyFactory
        {
            Settings =
            {
                ["Bindery:Webhooks:PollInterval"] = "00:00:00",
                ["Logging:LogLevel:Bindery.Requests"] = "Information",
            },
            ExtraServices = s => s.AddSingleton<ILoggerProvider>(logs),
        };
    }

    public void Dispose() => factory.Dispose();

    [Fact]
    public async Task Ready_needs_the_database_and_every_migration()
    {
        var anonymous = factory.CreateClient();
        Assert.Equal("live", (await Kit.Get(anonymous, "/health/live"))["status"].S());
        var ready = await Kit.Get(anonymous, "/health/ready");
        Assert.Equal("ready", ready["status"].S());
        Assert.Equal("current", ready["migrations"].S());

        // A database one migration behind this version (e.g. an old file) is not ready.
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<BinderyDb>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM schema_migrations WHERE id = '0004_webhooks'");
        }
        var problem = await Kit.Problem(await anonymous.GetAsync("/health/ready"), HttpStatusCode.ServiceUnavailable, "not_ready");
        Assert.Equal("behind", problem["migrations"].S());
        Assert.Equal("reachable", problem["database"].S());
        Assert.Equal("live", (await Kit.Get(anonymous, "/health/live"))["status"].S());
    }

    [GeneratedRegex("^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?<labels>(?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*)\\})? (?<value>[-+0-9.eE]+|\\+Inf|NaN)$")]
    private static partial Regex Sample();

    [GeneratedRegex("(?<k>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<v>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Label();

    private sealed record Metric(string Name, Dictionary<string, string> Labels, double Value);

    /// <summary>Parses the exposition text strictly: every line a comment (HELP/TYPE) or a sample of a declared family.</summary>
    private static List<Metric> Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Metric>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Contains(parts[3], new[] { "counter", "gauge", "histogram" });
                types[parts[2]] = parts[3];
                continue;
            }
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                continue;
            }
            var m = Sample().Match(line);
            Assert.True(m.Success, $"not a sample line: {line}");
            var name = m.Groups["name"].Value;
            var family = types.Keys.FirstOrDefault(t => name == t || (types[t] == "histogram" && (name == t + "_bucket" || name == t + "_sum" || name == t + "_count")));
            Assert.True(family is not null, $"{name} has no # TYPE line before it");
            var labels = Label().Matches(m.Groups["labels"].Value).ToDictionary(x => x.Groups["k"].Value, x => x.Groups["v"].Value, StringComparer.Ordinal);
            samples.Add(new Metric(name, labels, double.Parse(m.Groups["value"].Value.Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture)));
        }
        return samples;
    }

    private async Task<List<Metric>> Scrape(HttpClient admin)
    {
        var r = await admin.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", r.Content.Headers.ContentType?.ToString());
        return Parse(await r.Content.ReadAsStringAsync());
    }

    private static double Value(List<Metric> metrics, string name, params (string Key, string Value)[] labels) =>
        metrics.Where(m => m.Name == name && labels.All(l => m.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(m => m.Value);

    [Fact] // X-4, TS-E2, TS-I1, X-2
    public async Task Metrics_count_requests_decisions_sweep_lag_and_the_webhook_backlog()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await world.AccountOnly("teen", birthDate: "2015-01-01");
        await world.AccountOnly("alice");
        var before = await Scrape(world.Admin);

        await Kit.Denied(await shop.PostAsJsonAsync("/api/v1/shops/s1/invitations", new { accountId = "teen", role = "official" })); // TS-E2
        await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/checks", new { action = "invite", shopId = "s1", accountId = "teen", role = "official" }), HttpStatusCode.OK);
        await World.Invite(shop, "s1", "alice");
        await world.Advance("PT49H"); // the invitation expires (TS-I1), settled by the next read
        await Kit.Get(shop, "/api/v1/shops/s1/inbox");

        // A webhook whose receiver is down: its deliveries are the backlog.
        var created = await Kit.Expect(await shop.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/unreachable" }), HttpStatusCode.Created);
        await World.Invite(shop, "s1", "alice");
        var pass = await factory.Services.GetRequiredService<WebhookDispatcher>().DeliverDueAsync(CancellationToken.None);
        Assert.Equal(1, pass.Failed);

        var after = await Scrape(world.Admin);
        double Delta(string name, params (string, string)[] labels) => Value(after, name, labels) - Value(before, name, labels);

        Assert.True(Delta("bindery_decisions_total", ("action", "invite"), ("path", "write"), ("outcome", "denied"), ("rule", "TS-E2")) >= 1);
        Assert.True(Delta("bindery_decisions_total", ("action", "invite"), ("path", "check"), ("outcome", "denied"), ("rule", "TS-E2")) >= 1);
        Assert.True(Delta("bindery_decisions_total", ("action", "invite"), ("path", "write"), ("outcome", "allowed"), ("rule", "none")) >= 2);
        Assert.True(Delta("bindery_http_requests_total", ("route", "/api/v1/shops/{shopId}/invitations"), ("method", "POST"), ("status", "409")) >= 1);
        Assert.True(Delta("bindery_http_requests_total", ("route", "/api/v1/webhooks/"), ("method", "POST"), ("status", "201")) >= 1);
        Assert.True(Delta("bindery_http_request_duration_seconds_count", ("route", "/api/v1/checks"), ("method", "POST"), ("status", "200")) >= 1);
        // The invitation fell due 48 h after it was sent and was settled 49 h after: about an hour late.
        Assert.True(Delta("bindery_sweep_lag_seconds_count", ("transition", "invitation.expired")) >= 1);
        Assert.True(Delta("bindery_webhook_attempts_total", ("outcome", "retry")) >= 1);
        // The backlog is this host's own database: the one delivery waiting for a retry.
        Assert.Equal(1, Value(after, "bindery_webhook_backlog", ("state", "pending")));
        Assert.Equal(0, Value(after, "bindery_webhook_backlog", ("state", "dead")));

        // Histograms are cumulative and end with +Inf = count.
        foreach (var series in after.Where(m => m.Name.EndsWith("_bucket", StringComparison.Ordinal))
            .GroupBy(m => m.Name + string.Join(",", m.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal))))
        {
            var counts = series.Select(m => m.Value).ToArray();
            Assert.Equal(counts.Order(), counts);
            var inf = series.Single(m => m.Labels["le"] == "+Inf");
            var count = after.Single(m => m.Name == inf.Name[..^"_bucket".Length] + "_count"
                && m.Labels.Count == inf.Labels.Count - 1 && m.Labels.All(l => inf.Labels.TryGetValue(l.Key, out var v) && v == l.Value));
            Assert.Equal(count.Value, inf.Value);
        }
        Assert.NotNull(created["secret"]);
    }

    [Fact]
    public async Task Metrics_are_for_the_admin()
    {
        var world = new World(factory);
        var shop = await world.Shop("s1");
        await Kit.Problem(await shop.GetAsync("/metrics"), HttpStatusCode.Forbidden, "forbidden");
        await Kit.Problem(await factory.CreateClient().GetAsync("/metrics"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Request_lines_carry_method_route_status_duration_and_principal_but_no_token()
    {
        var world = new World(factory);
        await world.Shop("s1");
        var token = (await Kit.Expect(await world.Admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "merchant", shopId = "s1" }), HttpStatusCode.Created))["token"].S();
        var merchant = factory.As(token);
        await Kit.Expect(await merchant.GetAsync("/api/v1/shops/s1/quotas"), HttpStatusCode.OK);

        var line = logs.Entries.Last(e => e.Category == "Bindery.Requests" && e.State.Any(kv => kv.Key == "Route" && (string?)kv.Value == "/api/v1/shops/{id}/quotas"));
        var fields = line.State.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        Assert.Equal("GET", fields["Method"]);
        Assert.Equal(200, fields["Status"]);
        Assert.Equal("merchant:s1", fields["Principal"]);
        Assert.IsType<double>(fields["DurationMs"]);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains(token, StringComparison.Ordinal)
            || e.State.Any(kv => kv.Value?.ToString()?.Contains(token, StringComparison.Ordinal) == true));
    }

    [Fact]
    public void Logs_are_json_in_production_and_when_asked()
    {
        using var production = new BinderyFactory { Mode = "Production" };
        Assert.Equal(ConsoleFormatterNames.Json, production.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        using var asked = new BinderyFactory { Settings = { ["Bindery:Logging:Format"] = "json" } };
        Assert.Equal(ConsoleFormatterNames.Json, asked.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.NotEqual(ConsoleFormatterNames.Json, factory.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    /// <summary>Keeps every log entry with its structured state.</summary>
    private sealed class LogCapture : ILoggerProvider
    {
        public sealed record Entry(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State);

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCapture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                capture.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception),
                    state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
        }
    }
}

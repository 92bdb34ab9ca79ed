using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Api;
using Bindery.Server.Api.Access;
using Bindery.Server.Api.Accounts;
using Bindery.Server.Api.Admin;
using Bindery.Server.Api.Applications;
using Bindery.Server.Api.Bindings;
using Bindery.Server.Api.Chat;
using Bindery.Server.Api.Checks;
using Bindery.Server.Api.Feed;
using Bindery.Server.Api.Invitations;
using Bindery.Server.Api.Lifecycle;
using Bindery.Server.Api.MainAccount;
using Bindery.Server.Api.Settlements;
using Bindery.Server.Api.Shops;
using Bindery.Server.Api.Tickets;
using Bindery.Server.Api.Unlinks;
using Bindery.Server.Api.Webhooks;
using Bindery.Server.Features.Admin;
using Bindery.Server.Features.Applications;
using Bindery.Server.Features.Invitations;
using Bindery.Server.Features.Lifecycle;
using Bindery.Server.Features.MainAccount;
using Bindery.Server.Features.Unlinks;
using Bindery.Server.Features.Webhooks;
using Bindery.Server.Http;
using Bindery.Server.Infrastructure;
using Bindery.Server.Pages;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
if (args.Contains("--demo"))
{
    builder.Configuration["Bindery:Mode"] = "Demo";
}
// Defaults that hold from any working directory: loopback port 5080, quiet framework logs.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}
// Request-line, header and body limits: Kestrel's sit above the application's, which InputGate answers as problem+json.
builder.WebHost.ConfigureKestrel(InputGate.ConfigureKestrel);
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
var options = builder.Configuration.GetSection("Bindery").Get<BinderyOptions>() ?? new BinderyOptions();
if (options.Mode == RunMode.Demo)
{
    options.AdminToken ??= "demo-admin";
}
if (string.IsNullOrWhiteSpace(options.AdminToken) && options.Mode == RunMode.Production)
{
    Console.Error.WriteLine("Bindery: set Bindery:AdminToken (e.g. environment variable Bindery__AdminToken) before starting in production mode.");
    return 2;
}
options.PoliciesPath = Paths.Policies(options.PoliciesPath);

// Structured logs: one JSON object per line (the default in production), or the human-readable console format.
var logFormat = builder.Configuration["Bindery:Logging:Format"] ?? (options.Mode == RunMode.Production ? "json" : "simple");
if (logFormat == "json")
{
    builder.Logging.ClearProviders();
    builder.Logging.AddJsonConsole(o =>
    {
        o.UseUtcTimestamp = true;
        o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
        o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
    });
}
else if (logFormat != "simple")
{
    Console.Error.WriteLine("Bindery: Bindery:Logging:Format must be json or simple.");
    return 2;
}
if (options.Mode == RunMode.Test && builder.Configuration["Logging:LogLevel:" + RequestTelemetry.Category] is null)
{
    // Test hosts answer thousands of requests: their request lines only when asked for.
    builder.Logging.AddFilter(RequestTelemetry.Category, LogLevel.Warning);
}
var webhookOptions = builder.Configuration.GetSection("Bindery:Webhooks").Get<WebhookOptions>() ?? new WebhookOptions();
if (options.Mode == RunMode.Demo && webhookOptions.AllowedNetworks.Length == 0)
{
    // The README's demo receiver listens on 127.0.0.1; production allows no internal address unless told to.
    webhookOptions.AllowedNetworks = ["127.0.0.1/32"];
}
if (webhookOptions.Problems().FirstOrDefault() is { } webhookProblem)
{
    Console.Error.WriteLine($"Bindery cannot start: {webhookProblem}.");
    return 3;
}

PolicyCatalog policies;
try
{
    policies = PolicyCatalog.LoadFolder(options.PoliciesPath);
}
catch (PolicyException e)
{
    Console.Error.WriteLine($"Bindery cannot start: {e.Message}");
    return 3;
}

if (!Store.TryParse(options.Database.Provider, out var provider))
{
    Console.Error.WriteLine($"Bindery: Bindery:Database:Provider must be \"sqlite\" or \"postgres\", not \"{options.Database.Provider}\".");
    return 2;
}
string connectionString;
if (provider == StoreProvider.Postgres)
{
    if (string.IsNullOrWhiteSpace(options.Database.ConnectionString))
    {
        Console.Error.WriteLine("Bindery: set Bindery:Database:ConnectionString (e.g. Bindery__Database__ConnectionString=\"Host=127.0.0.1;Username=bindery;Password=…;Database=bindery\") for the postgres provider.");
        return 2;
    }
    connectionString = options.Database.ConnectionString;
}
else
{
    connectionString = Paths.SqliteConnection(options.Database.ConnectionString ?? options.ConnectionString);
}

builder.Services.AddSingleton(Options.Create(options));
builder.Services.AddSingleton(policies);
builder.Services.AddSingleton(sp => new AdjustableClock(sp.GetService<ClockSource>()?.Inner ?? TimeProvider.System));
builder.Services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<AdjustableClock>());
builder.Services.AddSingleton<DueHint>();
builder.Services.AddSingleton(sp => new ClockSync(sp.GetRequiredService<AdjustableClock>(), provider == StoreProvider.Postgres, options.ClockIsMovable));
builder.Services.AddSingleton<Confirmations>();
builder.Services.AddSingleton<IAnswerRecorder, HttpAnswerRecorder>();
// Settle steps: each feature's transitions that time alone causes, run in this order before every write batch.
builder.Services.AddSingleton<ISettleStep>(new SettleStep("invitation expiry (TS-I1)", InvitationExpiry.Settle));
builder.Services.AddSingleton<ISettleStep>(new SettleStep("unlink auto-approval (TS-U4)", UnlinkAutoApproval.Settle));
builder.Services.AddSingleton<ISettleStep>(new SettleStep("shop closure and account deletion (DY-L1, DY-L2)", LifecycleTransitions.SettleDue));
builder.Services.AddSingleton<ISettleStep>(new SettleStep("main-account change expiry (DY-M2)", ExpireMainAccountChanges.Settle));
builder.Services.AddSingleton<ISettleStep>(new SettleStep("unbind application deadlines (DY-A4)", UnbindApplicationDeadlines.Settle));
builder.Services.AddSingleton<SettleRunner>();
builder.Services.AddSingleton<WritePipeline>();
builder.Services.AddOtpSender(builder.Configuration, options.Mode);
builder.Services.AddHostedService<SweepService>();
builder.Services.AddSingleton(Options.Create(webhookOptions));
builder.Services.AddSingleton<WebhookHostResolver>();
builder.Services.AddSingleton<WebhookDestinations>();
builder.Services.AddSingleton<WebhookSecrets>();
// SSRF: every connection goes through the destination guard (resolve, check every address, connect to an allowed one);
// no proxy (the guard would check the proxy, not the destination) and no redirects (they would skip the subscription check).
builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
    .ConfigurePrimaryHttpMessageHandler(sp =>
    {
        var destinations = sp.GetRequiredService<WebhookDestinations>();
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = (context, ct) => destinations.ConnectAsync(context.DnsEndPoint, ct),
        };
    });
builder.Services.AddSingleton<WebhookMetrics>();
builder.Services.AddSingleton<WebhookDispatcher>();
builder.Services.AddHostedService<WebhookService>();
builder.Services.AddSingleton<PrometheusExporter>();
// Pooled: a context is reset and reused instead of built per request and per write (docs/performance.md).
builder.Services.AddPooledDbContextFactory<BinderyDb>(o => o.Use(provider, connectionString));
builder.Services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<BinderyDb>>().CreateDbContext());
// One key ring for every node, in the shared database, under one application name (ADR 0017): a cookie or a webhook
// secret protected by one node is read by every other.
builder.Services.AddDataProtection().SetApplicationName("Bindery").PersistKeysToDbContext<BinderyDb>();
builder.Services.AddBinderyAuthentication(options);
builder.Services.AddAuthentication().AddConsoleCookie();
builder.Services.AddAuthorization();
builder.Services.AddBinderyRateLimits(options);
builder.Services.AddConsole();
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddProblemDetails();
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.Configure<JsonOptions>(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = Json.Options.PropertyNamingPolicy;
    foreach (var c in Json.Options.Converters)
    {
        o.SerializerOptions.Converters.Add(c);
    }
});
builder.Services.AddOpenApi();

var app = builder.Build();
// The metrics listener starts with the host, so measurements before the first scrape are counted.
app.Services.GetRequiredService<PrometheusExporter>();

await using (var scope = app.Services.CreateAsyncScope())
{
    var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<BinderyDb>>();
    await using var db = await factory.CreateDbContextAsync();
    // Several nodes may start at once on one PostgreSQL database: one at a time migrates, creates shared secrets
    // and seeds (a session advisory lock, released when the block ends). No-op on SQLite.
    await using var startup = await StartupLock.Take(db, CancellationToken.None);
    await SchemaMigrator.MigrateAsync(db, Store.MigrationFolder(provider), CancellationToken.None);
    await app.Services.GetRequiredService<Confirmations>().LoadOrCreate(db, CancellationToken.None);
    // Under the lock: the key ring's first key is created once, and secrets stored before 0007 are encrypted.
    var encrypted = await app.Services.GetRequiredService<WebhookSecrets>().ProtectStoredAsync(db, CancellationToken.None);
    if (encrypted > 0)
    {
        app.Logger.LogInformation("encrypted {Count} webhook secrets stored in clear text before migration 0007", encrypted);
    }
    var clock = app.Services.GetRequiredService<AdjustableClock>();
    if (options.ClockIsMovable)
    {
        await ClockSync.Restore(db, clock, CancellationToken.None);
    }
    if (options.Mode == RunMode.Demo)
    {
        await Demo.SeedIfEmpty(app.Services.GetRequiredService<WritePipeline>(), db, clock, app.Logger, CancellationToken.None);
    }
}

app.UseMiddleware<RequestTelemetry>();
app.UseExceptionHandler();
app.UseStatusCodePages(async ctx =>
{
    var http = ctx.HttpContext;
    var lang = Lang.Of(http);
    var problem = http.Response.StatusCode switch
    {
        404 => Problems.Make(404, "not_found", lang, Problems.Say(lang,
            $"There is no endpoint {http.Request.Method} {http.Request.Path}.", $"不存在端点 {http.Request.Method} {http.Request.Path}。")),
        405 => Problems.Make(405, "method_not_allowed", lang, Problems.Say(lang,
            $"{http.Request.Method} is not allowed on {http.Request.Path}.", $"{http.Request.Path} 不允许 {http.Request.Method} 请求。")),
        // Minimal APIs answer a non-JSON body with a bare 415 (no exception), so it is named here.
        415 => Problems.Make(415, "unsupported_media_type", lang),
        var s => Problems.Make(s, "http_" + s.ToString(System.Globalization.CultureInfo.InvariantCulture), lang),
    };
    await Problems.Write(http, problem);
});
// Routing runs here, after the path is canonical; everything below decides from the endpoint it chose.
app.UseCanonicalPath();
app.UseRouting();
app.UseConsoleLanguage();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseMiddleware<AccessGate>();
// Target, header and body limits and control characters, after the gate (a caller who may not call the endpoint is
// refused before its body is read) and before anything reads the request.
app.UseMiddleware<InputGate>();

app.MapOpenApi("/openapi/v1.json").Public();
// The interactive API reference, read from the same document (served with its own script, no CDN).
app.MapScalarApiReference("/docs", options => options
    .WithOpenApiRoutePattern("/openapi/{documentName}.json").WithTitle("Bindery API").DisableDefaultFonts()).Public();
app.MapConsole();
app.MapOperationsEndpoints(options);

var api = app.MapGroup("/api/v1").RequireAuthorization();
api.MapShopEndpoints();
api.MapAccountEndpoints();
api.MapInvitationEndpoints();
api.MapUnlinkEndpoints();
api.MapCheckEndpoints();
api.MapEventEndpoints();
api.MapAdminEndpoints();
api.MapLifecycleEndpoints();
api.MapBindingEndpoints();
api.MapSettlementEndpoints();
api.MapMainAccountEndpoints();
api.MapApplicationEndpoints();
api.MapDataEndpoints();
api.MapTicketEndpoints();
api.MapChatEndpoints();
api.MapDelegationEndpoints();
api.MapLoginEndpoints();
api.MapWebhookEndpoints();
if (options.ClockIsMovable)
{
    api.MapClockEndpoints();
}
if (options.Mode == RunMode.Demo)
{
    api.MapDemoEndpoints();
    app.Lifetime.ApplicationStarted.Register(() =>
    {
        var lines = Demo.Principals.Select(p => $"  {p.Token,-28} {p.Kind,-9} {p.ShopId ?? p.AccountId ?? "",-18} {p.Description}");
        app.Logger.LogWarning("DEMO MODE: sample data, movable clock. Demo tokens (also at GET /api/v1/demo/principals):{NewLine}{Tokens}{NewLine}Demo sign-in (POST /api/v1/sessions): username {Username}, password {Password}",
            Environment.NewLine, string.Join(Environment.NewLine, lines), Environment.NewLine, Demo.LoginUsername, Demo.LoginPassword);
    });
}

await app.RunAsync();
return 0;

/// <summary>Lets tests start the real host (WebApplicationFactory).</summary>
public partial class Program;

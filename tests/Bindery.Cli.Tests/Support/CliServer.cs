using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Cli.Tests;

/// <summary>A fake clock: time stands still until a test moves it (no wall clock in tests).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}

/// <summary>
/// A real Bindery host for the end-to-end tests, in the server tests' style: its own SQLite file, test mode, a
/// fake clock at a fixed instant, admin token "test-admin". The CLI reaches it through
/// <see cref="Handler"/> (in memory) or, with <see cref="Kestrel"/>, over TCP on 127.0.0.1 and a random port.
/// </summary>
public sealed class CliServer : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly string dbPath = Path.Combine(Path.GetTempPath(), $"bindery-cli-e2e-{Guid.NewGuid():N}.db");
    private readonly string evidencePath = Path.Combine(Path.GetTempPath(), $"bindery-cli-e2e-evidence-{Guid.NewGuid():N}");

    public CliServer(bool kestrel = false)
    {
        Kestrel = kestrel;
        if (kestrel)
        {
            UseKestrel();
        }
    }

    public bool Kestrel { get; }

    public ManualClock Clock { get; } = new(Start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Bindery:Mode", "Test");
        builder.UseSetting("Bindery:AdminToken", "test-admin");
        builder.UseSetting("Bindery:ConnectionString", $"Data Source={dbPath}");
        builder.UseSetting("Bindery:SweepInterval", "00:00:00.200");
        builder.UseSetting("Bindery:EvidencePath", evidencePath);
        if (Kestrel)
        {
            builder.UseSetting("urls", "http://127.0.0.1:0");
        }
        builder.ConfigureTestServices(s => s.AddSingleton(new ClockSource(Clock)));
    }

    /// <summary>The server URL the CLI logs in to: the Kestrel address, or a placeholder for the in-memory handler.</summary>
    public string Url
    {
        get
        {
            if (!Kestrel)
            {
                return "http://bindery.local";
            }
            StartServer();
            return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        }
    }

    /// <summary>An in-memory handler into this host (no sockets), or a real socket handler for Kestrel.</summary>
    public HttpMessageHandler Handler()
    {
        if (Kestrel)
        {
            StartServer();
            return new SocketsHttpHandler();
        }
        return Server.CreateHandler();
    }

    public HttpClient Admin()
    {
        var c = Kestrel ? new HttpClient { BaseAddress = new Uri(Url) } : CreateClient();
        c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test-admin");
        return c;
    }

    /// <summary>Test setup the CLI has no command for: mint a merchant or creator token.</summary>
    public async Task<string> Token(string kind, string? shopId = null, string? accountId = null)
    {
        using var admin = Admin();
        var r = await admin.PostAsJsonAsync("/api/v1/tokens", new { kind, shopId, accountId, name = $"cli test {kind}" });
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["token"]!.GetValue<string>();
    }

    /// <summary>Every event of the admin's feed: a change the server made shows here.</summary>
    public async Task<int> EventCount()
    {
        using var admin = Admin();
        var count = 0;
        long after = 0;
        while (true)
        {
            var page = JsonNode.Parse(await admin.GetStringAsync($"/api/v1/events?after={after}&limit=1000"))!;
            count += page["items"]!.AsArray().Count;
            if (page["next"] is null)
            {
                return count;
            }
            after = page["next"]!.GetValue<long>();
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        foreach (var f in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" })
        {
            try
            {
                File.Delete(f);
            }
            catch (IOException)
            {
                // best effort: a temp file
            }
        }
        try
        {
            if (Directory.Exists(evidencePath))
            {
                Directory.Delete(evidencePath, recursive: true);
            }
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}

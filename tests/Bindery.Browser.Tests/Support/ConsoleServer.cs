using System.Net;
using Bindery.Server.Features.Admin;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Browser.Tests;

/// <summary>A fake time source: time stands still until the console's clock buttons (or a test) move it.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);
}

/// <summary>
/// The real Bindery server on Kestrel at 127.0.0.1 on a free port, in demo mode (seeded world, demo principals,
/// movable clock) with its own SQLite file and evidence folder, and a clock that starts at a fixed instant.
/// </summary>
public sealed class ConsoleServer : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly string dir = Path.Combine(Path.GetTempPath(), $"bindery-browser-{Guid.NewGuid():N}");

    public ConsoleServer()
    {
        Directory.CreateDirectory(dir);
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Url = addresses.First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
    }

    public string Url { get; }

    public ManualClock Clock { get; } = new(Start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("Bindery:Mode", "Demo");
        builder.UseSetting("Bindery:ConnectionString", $"Data Source={Path.Combine(dir, "bindery.db")}");
        builder.UseSetting("Bindery:EvidencePath", Path.Combine(dir, "evidence"));
        builder.UseSetting("Bindery:SweepInterval", "00:00:00.500");
        builder.ConfigureTestServices(s => s.AddSingleton(new ClockSource(Clock)));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}

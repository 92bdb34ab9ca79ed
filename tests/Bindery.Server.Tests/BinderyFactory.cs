using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bindery.Server.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Server.Tests;

/// <summary>
/// A real Bindery host per test class instance: its own SQLite file (tests own their data), test mode, a fake
/// clock starting at a fixed instant, and the admin token "test-admin".
/// </summary>
public sealed class BinderyFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly string dbPath = Path.Combine(Path.GetTempPath(), $"bindery-test-{Guid.NewGuid():N}.db");

    /// <summary>This host's own evidence folder (DY-A5), removed with the host.</summary>
    public string EvidencePath { get; } = Path.Combine(Path.GetTempPath(), $"bindery-test-evidence-{Guid.NewGuid():N}");

    public ManualClock Clock { get; } = new(Start);

    public string Mode { get; init; } = "Test";

    /// <summary>Further configuration of this host (e.g. Bindery:Webhooks:MaxAttempts), applied after the defaults above.</summary>
    public Dictionary<string, string> Settings { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Further services of this host (e.g. a log capture), registered after the app's own.</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Bindery:Mode", Mode);
        builder.UseSetting("Bindery:AdminToken", "test-admin");
        builder.UseSetting("Bindery:ConnectionString", $"Data Source={dbPath}");
        builder.UseSetting("Bindery:SweepInterval", "00:00:00.200");
        builder.UseSetting("Bindery:EvidencePath", EvidencePath);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton(new ClockSource(Clock));
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
            if (Directory.Exists(EvidencePath))
            {
                Directory.Delete(EvidencePath, recursive: true);
            }
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}

public static class HttpJson
{
    public static async Task<JsonNode> Json(this HttpResponseMessage r) =>
        JsonNode.Parse(await r.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    public static Task<HttpResponseMessage> Post(this HttpClient c, string url, object? body = null) =>
        c.PostAsJsonAsync(url, body ?? new { });
}

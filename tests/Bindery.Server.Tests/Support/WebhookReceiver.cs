using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bindery.Server.Tests;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel, a free port) as an integrator would run it: it verifies each request's
/// Bindery-Signature on its own (HMAC-SHA256 of "t.body" with the secret, t within a 5-minute window of the service's
/// clock) and answers with the status <see cref="Answer"/> picks for the request.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    private readonly WebApplication app;
    private int count;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public sealed record Received(int N, string Path, long EventId, string EventType, string DeliveryId, int Attempt, string Body,
        bool SignatureValid, int Answered, string Signature);

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The Standard Webhooks check (webhook-id, webhook-timestamp, webhook-signature) with the StandardWebhooks package's signer.</summary>
    public static bool VerifyStandard(string secret, IHeaderDictionary headers, string body, DateTimeOffset now)
    {
        var id = headers["webhook-id"].ToString();
        if (id.Length == 0 || !long.TryParse(headers["webhook-timestamp"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var ts)
            || Math.Abs(now.ToUnixTimeSeconds() - ts) > 300)
        {
            return false;
        }
        var expected = new StandardWebhooks.StandardWebhook(Features.Webhooks.StandardSignature.KeyOf(secret)).Sign(id, DateTimeOffset.FromUnixTimeSeconds(ts), body);
        return headers["webhook-signature"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(expected, StringComparer.Ordinal);
    }

    /// <summary>The status to answer for the n-th request (1-based) with this event type; 200 unless set.</summary>
    public Func<int, string, int> Answer { get; set; } = (_, _) => 200;

    /// <summary>Delay before answering (to widen race windows between nodes).</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    /// <summary>Secrets by path (one receiver can serve several subscriptions).</summary>
    public ConcurrentDictionary<string, string> Secrets { get; } = new(StringComparer.Ordinal);

    /// <summary>The service's clock, which signs t (in tests a fake clock, far from the wall clock).</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => throw new InvalidOperationException("set Now");

    public string Base { get; private set; } = "";

    public string Url(string path = "/hook") => Base + path;

    public static async Task<WebhookReceiver> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", receiver.Handle);
        await app.StartAsync();
        receiver.Base = app.Urls.First();
        return receiver;
    }

    private async Task Handle(HttpContext http)
    {
        using var ms = new MemoryStream();
        await http.Request.Body.CopyToAsync(ms);
        var body = ms.ToArray();
        var path = http.Request.Path.Value ?? "/";
        // Both signatures must hold: the deprecated Bindery-Signature, and the Standard Webhooks headers checked the way a
        // stock library checks them (its own signer over id.timestamp.body, the timestamp within five minutes).
        var valid = Secrets.TryGetValue(path, out var secret) && Verify(secret, http.Request.Headers["Bindery-Signature"].ToString(), body, Now())
            && VerifyStandard(secret, http.Request.Headers, Encoding.UTF8.GetString(body), Now());
        var n = Interlocked.Increment(ref count);
        var type = http.Request.Headers["Bindery-Event-Type"].ToString();
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay);
        }
        var status = valid ? Answer(n, type) : 401;
        Requests.Enqueue(new Received(n, path, long.Parse(http.Request.Headers["Bindery-Event-Id"].ToString(), CultureInfo.InvariantCulture), type,
            http.Request.Headers["Bindery-Delivery-Id"].ToString(), int.Parse(http.Request.Headers["Bindery-Attempt"].ToString(), CultureInfo.InvariantCulture),
            Encoding.UTF8.GetString(body), valid, status, http.Request.Headers["Bindery-Signature"].ToString()));
        http.Response.StatusCode = status;
    }

    /// <summary>
    /// The receiver's check, written from the README and independent of the service's code: t fresh, and any of the
    /// v1 values (two during a secret rotation's overlap window) the HMAC with the secret the receiver holds.
    /// </summary>
    public static bool Verify(string secret, string header, byte[] body, DateTimeOffset now)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToList();
        var t = parts.Where(p => p[0] == "t").Select(p => p[1]).FirstOrDefault();
        var v1s = parts.Where(p => p[0] == "v1").Select(p => p[1]).ToList();
        if (t is null || v1s.Count == 0 || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
        {
            return false;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > ReplayWindow.TotalSeconds)
        {
            return false;
        }
        var signed = Encoding.UTF8.GetBytes(t + ".").Concat(body).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return v1s.Any(v1 => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(v1)));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

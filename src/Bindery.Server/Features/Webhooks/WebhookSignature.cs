using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bindery.Server.Features.Webhooks;

/// <summary>
/// The <c>Bindery-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" keyed by the secret&gt;</c>.
/// A receiver recomputes v1 over the raw body and refuses a t outside its replay window (README, "Webhooks"). During a
/// secret rotation's overlap window the header carries one v1 per secret, the new one first (<c>t=…,v1=new,v1=old</c>),
/// and a receiver accepts the request if any v1 matches the secret it holds.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Bindery-Signature";

    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>One header signed with each secret in turn: <c>t=…,v1=&lt;first&gt;,v1=&lt;second&gt;…</c>.</summary>
    public static string Sign(IReadOnlyList<string> secrets, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var header = Sign(secrets[0], unixSeconds, body);
        for (var i = 1; i < secrets.Count; i++)
        {
            var more = Sign(secrets[i], unixSeconds, body);
            header += more[more.IndexOf(",v1=", StringComparison.Ordinal)..];
        }
        return header;
    }

    /// <summary>What a receiver does: the header parses, t is within the window of now, and a v1 matches in constant time.</summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan window)
    {
        if (header is null)
        {
            return false;
        }
        long? t = null;
        var v1s = new List<string>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length == 2 && kv[0] == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                t = parsed;
            }
            else if (kv.Length == 2 && kv[0] == "v1")
            {
                v1s.Add(kv[1]);
            }
        }
        if (t is not { } ts || v1s.Count == 0 || Math.Abs(now.ToUnixTimeSeconds() - ts) > window.TotalSeconds)
        {
            return false;
        }
        var expected = Sign(secret, ts, body);
        var expectedV1 = expected[(expected.IndexOf(",v1=", StringComparison.Ordinal) + 4)..];
        var matched = false;
        foreach (var v1 in v1s)
        {
            matched |= CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expectedV1), Encoding.ASCII.GetBytes(v1));
        }
        return matched;
    }
}

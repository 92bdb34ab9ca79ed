using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bindery.Server.Webhooks;

/// <summary>
/// The <c>Bindery-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" keyed by the secret&gt;</c>.
/// A receiver recomputes v1 over the raw body and refuses a t outside its replay window (README, "Webhooks").
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

    /// <summary>What a receiver does: the header parses, t is within the window of now, and v1 matches in constant time.</summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan window)
    {
        if (header is null)
        {
            return false;
        }
        long? t = null;
        string? v1 = null;
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length == 2 && kv[0] == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                t = parsed;
            }
            else if (kv.Length == 2 && kv[0] == "v1")
            {
                v1 = kv[1];
            }
        }
        if (t is not { } ts || v1 is null || Math.Abs(now.ToUnixTimeSeconds() - ts) > window.TotalSeconds)
        {
            return false;
        }
        var expected = Sign(secret, ts, body);
        var expectedV1 = expected[(expected.IndexOf(",v1=", StringComparison.Ordinal) + 4)..];
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expectedV1), Encoding.ASCII.GetBytes(v1));
    }
}

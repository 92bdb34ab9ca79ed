using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StandardWebhooks;

namespace Bindery.Server.Features.Webhooks;

/// <summary>
/// Deliveries carry two signatures. The Standard Webhooks headers (<see cref="StandardSignature"/>) are the ones to
/// verify: stock libraries do it. The older <c>Bindery-Signature</c> header is kept for one version, deprecated: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" keyed by the secret&gt;</c>.
/// A receiver recomputes v1 over the raw body and refuses a t outside its replay window (README, "Webhooks"). During a
/// secret rotation's overlap window the header carries one v1 per secret, the new one first (<c>t=…,v1=new,v1=old</c>),
/// and a receiver accepts the request if any v1 matches the secret it holds.
/// </summary>
public static class WebhookSignature
{
    /// <summary>Deprecated: receivers should verify the Standard Webhooks headers; this one goes in the next version.</summary>
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

/// <summary>
/// The Standard Webhooks signature (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>): HMAC-SHA256
/// over <c>id.timestamp.body</c> keyed by the secret (<c>whsec_</c> followed by the key in base64), written
/// <c>v1,&lt;base64&gt;</c>. During a rotation's overlap window the header lists one signature per secret, space
/// separated, the new one first; a receiver accepts the request if any matches. Signed by the StandardWebhooks package,
/// so the stock verifiers of every language agree with it.
/// </summary>
public static class StandardSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    public static string Sign(IReadOnlyList<string> secrets, string messageId, DateTimeOffset at, string body) =>
        string.Join(' ', secrets.Select(secret => new StandardWebhook(KeyOf(secret)).Sign(messageId, at, body)));

    /// <summary>
    /// The signing key of a secret as the standard reads it: the base64 after <c>whsec_</c> (every secret Bindery issues);
    /// a legacy secret that is not base64 signs with its UTF-8 bytes.
    /// </summary>
    public static byte[] KeyOf(string secret)
    {
        var encoded = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret;
        var key = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, key, out var written) && written > 0 ? key[..written] : Encoding.UTF8.GetBytes(secret);
    }
}

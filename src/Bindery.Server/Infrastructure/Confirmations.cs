using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bindery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Infrastructure;

/// <summary>
/// Confirmation tokens for irreversible actions (DY-B3): a first call answers with a token bound to the subject,
/// the caller and an expiry; only a second call carrying it acts. Tokens are HMAC-signed with a secret kept in the
/// database, so every node accepts them and nothing per token is stored.
/// </summary>
public sealed class Confirmations
{
    public const string SettingKey = "confirmations.secret";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private byte[] secret = [];

    public async Task LoadOrCreate(BinderyDb db, CancellationToken ct)
    {
        var row = await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Key == SettingKey, ct);
        if (row is null)
        {
            db.Settings.Add(new SettingRow { Key = SettingKey, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another node created it first: use theirs, so every node accepts every token.
                db.ChangeTracker.Clear();
            }
            row = await db.Settings.AsNoTracking().SingleAsync(s => s.Key == SettingKey, ct);
        }
        secret = Convert.FromBase64String(row.Value);
    }

    public string Issue(string purpose, string subjectId, string principal, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return expires + "." + Sign(purpose, subjectId, principal, expires);
    }

    /// <summary>True when the token was issued for exactly this purpose, subject and caller, and has not expired.</summary>
    public bool Verify(string token, string purpose, string subjectId, string principal, DateTimeOffset now)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return false;
        }
        if (now.ToUnixTimeSeconds() >= expires)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(purpose, subjectId, principal, token[..dot]));
        var given = Encoding.ASCII.GetBytes(token[(dot + 1)..]);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>A key for another use of the shared secret (e.g. the idempotency fingerprint), never the secret itself.</summary>
    public byte[] DerivedKey(string purpose)
    {
        if (secret.Length == 0)
        {
            throw new InvalidOperationException("confirmation secret not loaded");
        }
        return HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes("derived:" + purpose));
    }

    private string Sign(string purpose, string subjectId, string principal, string expires)
    {
        if (secret.Length == 0)
        {
            throw new InvalidOperationException("confirmation secret not loaded");
        }
        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{purpose}\n{subjectId}\n{principal}\n{expires}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}

using Bindery.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Features.Webhooks;

/// <summary>A newly issued signing secret: as shown once to the caller, and as stored.</summary>
public sealed record IssuedSecret(string Plain, string Protected);

/// <summary>
/// Webhook signing secrets at rest (ADR 0017): encrypted with ASP.NET Core Data Protection under the purpose
/// <see cref="Purpose"/>, with the key ring in the database every node shares. Rows written before migration 0007
/// (or by a node of an older version) hold the secret in clear text with <c>SecretProtected = false</c>; they still sign,
/// and <see cref="ProtectStoredAsync"/> encrypts them at the next start.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    public const string Purpose = "Bindery.Webhooks.Secret.v1";

    /// <summary>The longest overlap window a rotation may ask for.</summary>
    public static readonly TimeSpan MaxOverlap = TimeSpan.FromDays(7);

    /// <summary>The overlap window when a rotation names none.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromHours(24);

    private readonly IDataProtector protector = provider.CreateProtector(Purpose);

    public IssuedSecret Issue()
    {
        var plain = WebhookSignature.NewSecret();
        return new IssuedSecret(plain, protector.Protect(plain));
    }

    /// <summary>A stored secret in its protected form, whether <paramref name="stored"/> is clear text or already protected.</summary>
    public string Protected(string stored, bool isProtected) => isProtected ? stored : protector.Protect(stored);

    /// <summary>
    /// The secrets that sign a delivery at <paramref name="now"/>: the current one first, then the previous one while the
    /// rotation's overlap window lasts. Throws <see cref="System.Security.Cryptography.CryptographicException"/> when the
    /// key that protected a secret is not in the key ring.
    /// </summary>
    public IReadOnlyList<string> Signing(WebhookSubscriptionRow s, DateTimeOffset now)
    {
        var current = s.SecretProtected ? protector.Unprotect(s.Secret) : s.Secret;
        if (s.PreviousSecret is null || s.PreviousSecretExpiresAt is not { } until || now >= until)
        {
            return [current];
        }
        try
        {
            return [current, s.SecretProtected ? protector.Unprotect(s.PreviousSecret) : s.PreviousSecret];
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // A rotation made because the old secret's key was lost: the new secret alone signs.
            return [current];
        }
    }

    /// <summary>
    /// At start, under the startup lock: makes sure the shared key ring holds a key (so nodes starting together do not
    /// each create one), then encrypts the secrets still stored in clear text. Answers how many rows it encrypted.
    /// </summary>
    public async Task<int> ProtectStoredAsync(BinderyDb db, CancellationToken ct)
    {
        _ = protector.Protect("key ring check");
        var clear = await db.WebhookSubscriptions.Where(s => !s.SecretProtected).ToListAsync(ct);
        foreach (var s in clear)
        {
            s.Secret = protector.Protect(s.Secret);
            s.PreviousSecret = s.PreviousSecret is null ? null : protector.Protect(s.PreviousSecret);
            s.SecretProtected = true;
        }
        await db.SaveChangesAsync(ct);
        return clear.Count;
    }
}

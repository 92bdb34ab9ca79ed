using System.Security.Cryptography;
using System.Text;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Features.MainAccount;

/// <summary>A one-time code on its way to a phone (DY-M2). <see cref="Phone"/> is the full number; show only <see cref="SentTo"/>.</summary>
public sealed record OtpMessage(string ChangeId, string ShopId, string AccountId, string Phone, string SentTo, string Code, DateTimeOffset ExpiresAt);

/// <summary>
/// Delivers one-time codes. Chosen by configuration <c>Bindery:Otp:Sender</c> (see <see cref="OtpSenders"/>).
/// <see cref="Send"/> runs inside the write transaction that created the code, so whatever it stages commits or rolls
/// back with the change; a sender that talks to an SMS gateway should stage an outbox row there and deliver after the
/// commit (<see cref="WriteContext.OnCommit"/>), never hold the write gate on the network.
/// </summary>
public interface IOtpSender
{
    /// <summary>False when no way to deliver codes is configured: flows that need a code answer 503 and change nothing.</summary>
    bool IsAvailable { get; }

    void Send(OtpMessage message, WriteContext ctx);
}

/// <summary>
/// Demo and test mode: no phone is involved. The code goes into the event feed as <c>main_account_change.demo_code</c>
/// (with <c>demo: true</c>) and into the server log under a loud DEMO marker.
/// </summary>
public sealed class DemoOtpSender(ILogger<DemoOtpSender> log) : IOtpSender
{
    public const string EventType = EventTypes.MainAccountChangeDemoCode;

    public bool IsAvailable => true;

    public void Send(OtpMessage message, WriteContext ctx)
    {
        // The event carries no shopId/accountId, so the feed's tenant filter (a merchant sees its shop's events, a creator
        // its account's) never shows it to them: only the admin reads the code.
        ctx.Emit(EventType, message.ChangeId, shopId: null, accountId: null, new
        {
            demo = true,
            note = "DEMO: this code was not sent to any phone; it is shown here so the flow can be rehearsed.",
            changeId = message.ChangeId,
            shopId = message.ShopId,
            accountId = message.AccountId,
            sentTo = message.SentTo,
            code = message.Code,
            expiresAt = message.ExpiresAt,
        });
        // Logged only once stored: a refused or rolled-back write never shows a code that does not exist.
        ctx.OnCommit(() => log.LogWarning(
            "DEMO ONE-TIME CODE (not sent to any phone): {Code} for main-account change {ChangeId} of shop {ShopId}, to {SentTo}, valid until {ExpiresAt:O}",
            message.Code, message.ChangeId, message.ShopId, message.SentTo, message.ExpiresAt));
    }
}

/// <summary>Production without a configured sender: codes cannot be delivered, so no change can start.</summary>
public sealed class UnavailableOtpSender : IOtpSender
{
    public bool IsAvailable => false;

    public void Send(OtpMessage message, WriteContext ctx) =>
        throw new InvalidOperationException("no one-time code sender is configured (Bindery:Otp:Sender)");
}

public static class OtpSenders
{
    public const string ConfigKey = "Bindery:Otp:Sender";

    /// <summary>
    /// <c>demo</c> (the default in demo and test mode) or <c>none</c> (the default in production: starting a change
    /// answers 503 <c>code_sender_unavailable</c>). Anything else stops the server at start.
    /// </summary>
    public static IServiceCollection AddOtpSender(this IServiceCollection services, IConfiguration config, RunMode mode)
    {
        var name = config[ConfigKey];
        if (string.IsNullOrWhiteSpace(name))
        {
            name = mode == RunMode.Production ? "none" : "demo";
        }
        if (string.Equals(name, "demo", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<IOtpSender, DemoOtpSender>();
        }
        else if (string.Equals(name, "none", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<IOtpSender, UnavailableOtpSender>();
        }
        else
        {
            throw new InvalidOperationException($"{ConfigKey} is '{name}'; it must be 'demo' or 'none'.");
        }
        return services;
    }
}

/// <summary>
/// One-time codes: <c>length</c> decimal digits from the system's cryptographic random source, stored only as
/// SHA-256(salt + code) with a fresh random salt, compared in constant time.
/// </summary>
public static class OneTimeCodes
{
    public static string New(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var digits = new char[length];
        for (var i = 0; i < length; i++)
        {
            digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        }
        return new string(digits);
    }

    public static string NewSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string Hash(string salt, string code) => Convert.ToHexStringLower(Digest(salt, code));

    /// <summary>False for an empty hash (a code that was used, superseded or ran out is wiped).</summary>
    public static bool Matches(string code, string salt, string hash)
    {
        if (hash.Length != 64 || salt.Length == 0)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(hash), Digest(salt, code));
    }

    private static byte[] Digest(string salt, string code) => SHA256.HashData(Encoding.UTF8.GetBytes(salt + code));
}

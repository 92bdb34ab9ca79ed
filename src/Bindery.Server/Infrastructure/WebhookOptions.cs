using System.Net;

namespace Bindery.Server.Infrastructure;

/// <summary>The <c>Bindery:Webhooks</c> configuration section: the retry policy and the delivery worker.</summary>
public sealed class WebhookOptions
{
    /// <summary>Tries per delivery before it is dead-lettered (redelivery on demand starts a new round).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The delay after the first failed try; each further failure doubles it, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a receiver may take to answer one try.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the worker looks for due deliveries; zero turns the background worker off.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>At most this many deliveries (each the head of its shop's queue) are claimed per pass.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Deliveries sent at once by one node.</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>This node's name in leases and attempt history; defaults to the machine name and process id.</summary>
    public string? NodeName { get; set; }

    /// <summary>
    /// CIDR ranges (e.g. <c>127.0.0.1/32</c>) a destination may be in although they are private, loopback or otherwise
    /// refused (<see cref="WebhookDestinations"/>). Empty in production: webhooks go to public addresses only. Demo mode
    /// allows 127.0.0.1/32 when nothing is set, for the README's local receiver.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>A claim outlives the longest try, so a live node never loses its lease while sending.</summary>
    public TimeSpan Lease => Timeout + TimeSpan.FromSeconds(30);

    /// <summary>The wait before try <paramref name="failures"/>+1: exponential, capped, with "equal jitter" (half fixed, half random).</summary>
    public TimeSpan Backoff(int failures, double random)
    {
        var exponent = Math.Min(Math.Max(failures - 1, 0), 30);
        var full = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((full / 2) + (full / 2 * random));
    }

    /// <summary>
    /// A CIDR range written exactly: <see cref="IPNetwork.TryParse(string, out IPNetwork)"/> masks host bits away
    /// (10.0.0.1/8 becomes 10.0.0.0/8), which would silently allow far more than an operator who meant one host wrote.
    /// </summary>
    public static bool TryParseNetwork(string? cidr, out IPNetwork network)
    {
        network = default;
        var slash = cidr?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0 && IPNetwork.TryParse(cidr, out network) && IPAddress.TryParse(cidr.AsSpan(0, slash), out var written)
            && written.Equals(network.BaseAddress);
    }

    public IEnumerable<string> Problems()
    {
        if (MaxAttempts < 1)
        {
            yield return "Bindery:Webhooks:MaxAttempts must be at least 1";
        }
        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay)
        {
            yield return "Bindery:Webhooks:BaseDelay must be positive and MaxDelay at least BaseDelay";
        }
        if (Timeout <= TimeSpan.Zero)
        {
            yield return "Bindery:Webhooks:Timeout must be positive";
        }
        if (PollInterval < TimeSpan.Zero || BatchSize < 1 || Parallelism < 1)
        {
            yield return "Bindery:Webhooks:PollInterval must not be negative; BatchSize and Parallelism at least 1";
        }
        foreach (var cidr in AllowedNetworks)
        {
            if (!TryParseNetwork(cidr, out _))
            {
                yield return $"Bindery:Webhooks:AllowedNetworks: \"{cidr}\" is not a CIDR range such as 127.0.0.1/32 or 10.1.0.0/16 (no bits set after the prefix)";
            }
        }
    }
}

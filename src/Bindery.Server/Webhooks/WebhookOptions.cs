namespace Bindery.Server.Webhooks;

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

    /// <summary>A claim outlives the longest try, so a live node never loses its lease while sending.</summary>
    public TimeSpan Lease => Timeout + TimeSpan.FromSeconds(30);

    /// <summary>The wait before try <paramref name="failures"/>+1: exponential, capped, with "equal jitter" (half fixed, half random).</summary>
    public TimeSpan Backoff(int failures, double random)
    {
        var exponent = Math.Min(Math.Max(failures - 1, 0), 30);
        var full = Math.Min(BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((full / 2) + (full / 2 * random));
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
    }
}


namespace Bindery.Server.Infrastructure;

/// <summary>Where a server runs: demo (seeded data, movable clock), test (movable clock) or production.</summary>
public enum RunMode { Demo, Test, Production }

/// <summary>The <c>Bindery</c> configuration section.</summary>
public sealed class BinderyOptions
{
    public RunMode Mode { get; set; } = RunMode.Production;

    /// <summary>SQLite connection string; the default keeps the file under ./data.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/bindery.db";

    /// <summary>The <c>Bindery:Database</c> section: which database, and (for PostgreSQL) where.</summary>
    public DatabaseOptions Database { get; set; } = new();

    /// <summary>The <c>Bindery:Writes</c> section: how much work the writer queue admits before it answers 503.</summary>
    public WriteOptions Writes { get; set; } = new();

    /// <summary>Folder holding the policy files (*.json).</summary>
    public string PoliciesPath { get; set; } = "policies";

    /// <summary>The admin's bearer token. Required in production; demo mode defaults to "demo-admin".</summary>
    public string? AdminToken { get; set; }

    /// <summary>Request header, set by the platform's edge, carrying the caller's network country (TS-E4).</summary>
    public string ClientCountryHeader { get; set; } = "X-Client-Country";

    /// <summary>How often the background sweep records expiries and auto-approvals.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// DY-A5: folder of unbind-application evidence files (relative to the working directory), one subfolder per
    /// shop, files named by id; never served outside the API's tenant checks.
    /// </summary>
    public string EvidencePath { get; set; } = "data/evidence";

    /// <summary>Who may read /metrics.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    public bool ClockIsMovable => Mode != RunMode.Production;

    /// <summary>Cookie sign-in: lockout after repeated wrong passwords.</summary>
    public SignInOptions SignIn { get; set; } = new();

    /// <summary>Optional JWT bearer tokens from an external OpenID Connect issuer.</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Write and sign-in rate limits (429 with Retry-After).</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>DY-D4: what main accounts may delegate.</summary>
    public DelegationOptions Delegation { get; set; } = new();
}

public sealed class SignInOptions
{
    /// <summary>Wrong passwords in a row that lock a login.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>How long a locked login stays locked.</summary>
    public TimeSpan LockFor { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a session cookie lasts (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

public sealed class JwtOptions
{
    /// <summary>The issuer (iss) to accept; JWT bearer tokens are off while this is empty.</summary>
    public string? Issuer { get; set; }

    /// <summary>The audience (aud) to require.</summary>
    public string? Audience { get; set; }

    /// <summary>The issuer's signing key: a PEM public key (RSA or EC), or a base64 shared secret of at least 32 bytes (HMAC).</summary>
    public string? SigningKey { get; set; }

    public string RoleClaim { get; set; } = "bindery_role";
    public string ShopClaim { get; set; } = "bindery_shop";
    public string AccountClaim { get; set; } = "bindery_account";
    public string UserClaim { get; set; } = "sub";

    public bool Enabled => !string.IsNullOrWhiteSpace(Issuer);
}

public sealed class RateLimitOptions
{
    /// <summary>Write requests (not GET/HEAD) per window for one principal.</summary>
    public int? WritesPerPrincipal { get; set; }

    /// <summary>Write requests per window from one client address.</summary>
    public int? WritesPerAddress { get; set; }

    /// <summary>Sign-in attempts per window from one client address.</summary>
    public int? SignInsPerAddress { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class DelegationOptions
{
    /// <summary>Whether the finance permission may be given to a sub account (off: finance stays with the main account).</summary>
    public bool FinanceDelegable { get; set; }
}

/// <summary>
/// <c>Bindery:Database:Provider</c> is <c>sqlite</c> (default) or <c>postgres</c>; <c>Bindery:Database:ConnectionString</c>
/// is an Npgsql connection string for PostgreSQL (for SQLite it overrides <c>Bindery:ConnectionString</c> when set).
/// </summary>
public sealed class DatabaseOptions
{
    public string Provider { get; set; } = "sqlite";

    public string? ConnectionString { get; set; }
}

/// <summary>
/// The <c>Bindery:Writes</c> section. Past the sustainable write rate a queue only grows (memory and latency without
/// limit), so the writer admits a command only while the queue is short; the rest are answered at once with 503
/// <c>overloaded</c> and <c>Retry-After</c>, and changed nothing.
/// </summary>
public sealed class WriteOptions
{
    /// <summary>
    /// Most commands waiting for the writer: a hard bound on the queue's memory, and on the wait it may promise (about
    /// 1.4 s at the 1,500 committed writes per second one SQLite writer sustains on the bench machine).
    /// </summary>
    public int MaxQueued { get; set; } = 2048;
}

/// <summary>The <c>Bindery:Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    /// <summary>False (default): /metrics needs the admin token. True: anyone who reaches the port may scrape it.</summary>
    public bool AllowAnonymous { get; set; }
}

namespace Bindery.Server.Infrastructure;

/// <summary>Where a server runs: demo (seeded data, movable clock), test (movable clock) or production.</summary>
public enum RunMode { Demo, Test, Production }

/// <summary>The <c>Bindery</c> configuration section.</summary>
public sealed class BinderyOptions
{
    public RunMode Mode { get; set; } = RunMode.Production;

    /// <summary>SQLite connection string; the default keeps the file under ./data.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/bindery.db";

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
}

/// <summary>The <c>Bindery:Metrics</c> section.</summary>
public sealed class MetricsOptions
{
    /// <summary>False (default): /metrics needs the admin token. True: anyone who reaches the port may scrape it.</summary>
    public bool AllowAnonymous { get; set; }
}

using Bindery.Domain;
using Bindery.Persistence;
using Bindery.Server.Infrastructure;

namespace Bindery.Server.Core;

/// <summary>
/// One query in progress: who asks (and so what they may see), in which language, against which store. The HTTP
/// edge and the console build it the same way, so both run the same queries.
/// </summary>
public sealed class ReadContext(BinderyDb db, PolicyCatalog policies, TimeProvider clock, WritePipeline pipeline, Principal viewer, Language lang,
    string? callerCountry = null)
{
    public BinderyDb Db { get; } = db;
    public PolicyCatalog Policies { get; } = policies;
    public Principal Viewer { get; } = viewer;
    public Language Lang { get; } = lang;

    /// <summary>TS-E5: the country the caller's network address is in, when the edge knows it.</summary>
    public string? CallerCountry { get; } = callerCountry;

    /// <summary>The clock's instant now (after <see cref="Settle"/>, what the read shows is exact at it).</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Records the time transitions that are due first, so what the read shows is exact at the clock's instant.</summary>
    public Task Settle(CancellationToken ct) => pipeline.SettleIfDue(ct);
}

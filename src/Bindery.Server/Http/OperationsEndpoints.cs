using Bindery.Persistence;
using Bindery.Server.Features.Webhooks;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bindery.Server.Http;

public sealed record ReadyView(string Status, string Database, string Migrations);

/// <summary>Liveness, readiness (database reachable, every migration applied) and metrics.</summary>
public static class OperationsEndpoints
{
    public static void MapOperationsEndpoints(this WebApplication app, BinderyOptions options)
    {
        app.MapGet("/health/live", () => Results.Ok(new { status = "live" })).WithTags("Health").WithName("Live")
            .WithSummary("The process answers.").Public();

        app.MapGet("/health/ready", async (HttpContext http, IDbContextFactory<BinderyDb> dbs, CancellationToken ct) =>
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            var reachable = await db.Database.CanConnectAsync(ct);
            var current = reachable && await SchemaMigrator.IsCurrentAsync(db, Provider(db), ct);
            if (reachable && current)
            {
                return Result.Ok(new ReadyView("ready", "reachable", "current")).ToHttp();
            }
            var problem = Problems.Make(503, "not_ready", http.Lang(),
                !reachable ? "The database cannot be reached." : "The database schema lacks migrations this version needs.");
            return Outcome.Problem(problem with
            {
                Extensions = new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    ["database"] = reachable ? "reachable" : "unreachable",
                    ["migrations"] = current ? "current" : "behind",
                },
            });
        }).WithTags("Health").WithName("Ready").WithSummary("Ready when the database is reachable and every migration is applied; else 503 problem+json.")
            .Produces<ReadyView>().ProducesProblem(503).Public();

        var metrics = app.MapGet("/metrics", async (HttpContext http, PrometheusExporter exporter, WebhookDispatcher webhooks, CancellationToken ct) =>
        {
            await webhooks.RefreshBacklogAsync(ct);
            return Results.Text(exporter.Scrape(), PrometheusExporter.ContentType);
        }).WithTags("Metrics").WithName("Metrics")
            .WithSummary("Metrics in the Prometheus text format 0.0.4 (admin token, unless Bindery:Metrics:AllowAnonymous is true).")
            .Produces<string>(200, "text/plain").ProducesProblem(401).ProducesProblem(403);
        // Declared like every endpoint (the access gate decides): open when the operator says so, else the admin's.
        if (options.Metrics.AllowAnonymous)
        {
            metrics.Public();
        }
        else
        {
            metrics.RequireAuthorization().Requires(Callers.Admin);
        }
    }

    /// <summary>The folder of migration scripts for the configured provider.</summary>
    public static string Provider(BinderyDb db) =>
        db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true ? "Postgres" : "Sqlite";
}

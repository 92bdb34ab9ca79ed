using System.Net;
using System.Net.Http.Json;
using Bindery.Persistence;
using Bindery.Server.Core;
using Bindery.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Server.Tests;

/// <summary>
/// Overload is answered, not queued forever (ADR 0022): the writer admits a command only while its queue can serve it
/// in time; the rest are refused at once with 503 <c>overloaded</c> and Retry-After, and change nothing.
/// </summary>
public sealed class OverloadTests : IDisposable
{
    private readonly List<BinderyFactory> factories = [];

    public void Dispose()
    {
        foreach (var f in factories)
        {
            f.Dispose();
        }
    }

    private BinderyFactory Factory(int maxQueued)
    {
        var factory = new BinderyFactory { Settings = { ["Bindery:Writes:MaxQueued"] = maxQueued.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        factories.Add(factory);
        _ = factory.Admin();
        return factory;
    }

    private static Actor Admin => new(new Principal(PrincipalKind.Admin, null, null, "test"), "127.0.0.1", null, Bindery.Domain.Language.En);

    /// <summary>Holds the writer inside a transaction until released, so everything sent meanwhile queues.</summary>
    private sealed class Blocker : IWriteCommand
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
        {
            Entered.SetResult();
            await Release.Task;
            return Result.Done;
        }
    }

    private sealed record Mark(string Marker) : IWriteCommand
    {
        public async Task<Result> Run(WriteContext ctx, CancellationToken ct)
        {
            ctx.Record("test", Marker, "test.marked", null, null, null, new { Marker });
            await ctx.Db.SaveChangesAsync(ct);
            return Result.Created(new { Marker }, "/test/" + Marker);
        }
    }

    [Fact]
    public async Task Past_the_queue_bound_a_write_is_refused_at_once_with_retry_after_and_the_admitted_ones_commit()
    {
        var factory = Factory(maxQueued: 4);
        var pipeline = factory.Services.GetRequiredService<WritePipeline>();
        var blocker = new Blocker();
        var first = pipeline.Execute(blocker, Admin, null, CancellationToken.None);
        await blocker.Entered.Task;

        var answers = Enumerable.Range(0, 10).Select(i => pipeline.Execute(new Mark("m" + i), Admin, null, CancellationToken.None)).ToList();

        // The writer is still held: the refusals are already answered, the admitted writes wait.
        Assert.Equal(4, pipeline.Queued);
        var refused = answers.Skip(4).ToList();
        Assert.All(refused, a => Assert.True(a.IsCompleted));
        foreach (var answer in refused)
        {
            var refusal = Assert.IsType<RefusedResult>(await answer);
            Assert.Equal("overloaded", refusal.Code);
            Assert.True(refusal.RetryAfter >= TimeSpan.FromSeconds(1));
        }
        var early = answers.Take(4).Where(a => a.IsCompleted).Select(a => a.Result.ToString()).ToList();
        blocker.Release.TrySetResult();
        Assert.True(early.Count == 0, "answered before the writer was released: " + string.Join("; ", early));

        await first;
        foreach (var answer in answers.Take(4))
        {
            Assert.IsType<CreationResult>(await answer);
        }
        Assert.Equal(0, pipeline.Queued);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BinderyDb>();
        var marked = await db.History.Where(h => h.Action == "test.marked").Select(h => h.SubjectId).OrderBy(m => m).ToListAsync();
        Assert.Equal(["m0", "m1", "m2", "m3"], marked);
    }

    [Fact]
    public async Task An_overload_refusal_is_503_problem_json_with_retry_after_and_reads_still_answer()
    {
        var factory = Factory(maxQueued: 0);
        var admin = factory.Admin();
        var r = await admin.PostAsJsonAsync("/api/v1/shops", new { id = "shop-overload", name = "Overload", country = "GB", merchantType = "invited" });
        var problem = await Kit.Problem(r, HttpStatusCode.ServiceUnavailable, "overloaded");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("nothing was changed", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        // Reads settle through the writer too: they are never refused.
        await Kit.Expect(await admin.GetAsync("/api/v1/shops"), HttpStatusCode.OK);
        await Kit.Expect(await admin.GetAsync("/api/v1/shops/shop-overload"), HttpStatusCode.NotFound);
    }
}

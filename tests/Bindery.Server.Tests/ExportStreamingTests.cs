using System.Net;
using System.Text.Json.Nodes;
using Bindery.Persistence;
using Bindery.Server.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bindery.Server.Tests;

/// <summary>Runs alone: it measures the process's managed heap, which other tests running alongside would disturb.</summary>
[CollectionDefinition(nameof(ExportStreamingTests), DisableParallelization = true)]
public sealed class ExportStreamingCollection;

/// <summary>Z-5: an export is streamed row by row as the database yields them; memory does not grow with the rows.</summary>
[Collection(nameof(ExportStreamingTests))]
public sealed class ExportStreamingTests : IDisposable
{
    private const int Rows = 50_000;

    /// <summary>Each row carries about 1 KB of JSON: held whole, the export would take well over 100 MB of heap.</summary>
    private static readonly string Padding = new('x', 1000);

    private const long AllowedGrowth = 16 * 1024 * 1024;

    private readonly BinderyFactory factory = new();

    public void Dispose() => factory.Dispose();

    [Fact] // Z-5, X-1
    public async Task Fifty_thousand_history_rows_stream_out_in_constant_memory()
    {
        var world = new World(factory);
        await world.Shop("big");
        var dbs = factory.Services.GetRequiredService<IDbContextFactory<BinderyDb>>();
        await using (var db = await dbs.CreateDbContextAsync())
        {
            for (var start = 0; start < Rows; start += 10_000)
            {
                db.History.AddRange(Enumerable.Range(start, 10_000).Select(i => new HistoryRow
                {
                    At = BinderyFactory.Start + TimeSpan.FromMilliseconds(i),
                    Actor = "import",
                    ShopId = "big",
                    SubjectType = "note",
                    SubjectId = "n" + i,
                    Action = "note.added",
                    After = $"{{\"i\":{i},\"padding\":\"{Padding}\"}}",
                }));
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }
        var client = world.MerchantOf("big");
        // Warm up (JIT, EF's query cache) on a small range, so the measurement sees only the export itself.
        var small = await client.GetStringAsync($"/api/v1/exports/history?to={Uri.EscapeDataString(Kit.At(TimeSpan.FromMilliseconds(10)))}");
        Assert.Equal(1 + 2 + 10, small.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        using var response = await client.GetAsync("/api/v1/exports/history", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        Assert.Equal("seq,at,actor,client_address,shop_id,account_id,subject_type,subject_id,action,before,after", await reader.ReadLineAsync());

        var lines = 0;
        long? growth = null;
        string? last = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            lines++;
            last = line;
            if (lines == 2)
            {
                Assert.Contains(",token.minted,", line, StringComparison.Ordinal);
            }
            if (lines == Rows / 2)
            {
                // Half-way through the download the server is paused on the unread response: whatever it holds is live now.
                growth = GC.GetTotalMemory(forceFullCollection: true) - baseline;
            }
        }
        // shop.created and token.minted, then the inserted rows in order.
        Assert.Equal(2 + Rows, lines);
        Assert.Contains(",import,,big,,note,n49999,note.added,", last, StringComparison.Ordinal);
        Assert.True(growth < AllowedGrowth, $"the heap grew by {growth / (1024 * 1024)} MB half-way through the export");

        // JSON lines stream the same rows.
        using var jsonl = await client.GetAsync("/api/v1/exports/history?format=jsonl&from=" + Uri.EscapeDataString(Kit.At(TimeSpan.Zero)),
            HttpCompletionOption.ResponseHeadersRead);
        using var jsonReader = new StreamReader(await jsonl.Content.ReadAsStreamAsync());
        var count = 0;
        JsonNode? lastJson = null;
        while (await jsonReader.ReadLineAsync() is { } line)
        {
            count++;
            lastJson = JsonNode.Parse(line);
        }
        Assert.Equal(2 + Rows, count);
        Assert.Equal(Rows - 1, lastJson!["after"]!["i"]!.GetValue<int>());
    }
}

using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Bindery.Cli.Output;

namespace Bindery.Cli.Commands;

/// <summary>
/// <c>bindery export bindings|history [--shop] [--account] [--from] [--to] [--format csv|jsonl] [--out FILE]</c>:
/// binding intervals or history as data (Z-5, X-1), streamed to the file or stdout as it arrives, never held whole.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(BinderyCli cli)
    {
        var what = new Argument<string>("WHAT") { Description = "bindings (intervals per account and shop) or history" };
        what.AcceptOnlyFromAmong("bindings", "history");
        var shop = new Option<string?>("--shop") { Description = "Only this shop" };
        var account = new Option<string?>("--account") { Description = "Only this account" };
        var from = new Option<string?>("--from") { Description = "From this instant (ISO 8601)" };
        var to = new Option<string?>("--to") { Description = "Up to this instant (ISO 8601)" };
        var format = new Option<string>("--format") { Description = "csv or jsonl", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var output = new Option<string?>("--out") { Description = "Write to this file instead of stdout" };
        var invitations = new Option<bool>("--include-invitations") { Description = "bindings: also invitations never activated" };
        var command = new Command("export", "Export binding intervals or history as CSV or JSON lines, streamed.")
        {
            what, shop, account, from, to, format, output, invitations,
        };
        cli.Action(command, async run =>
        {
            var path = $"api/v1/exports/{run.Value(what)}" + Query.Of(
                ("shopId", run.Value(shop)), ("accountId", run.Value(account)),
                ("from", run.Value(from)), ("to", run.Value(to)), ("format", run.Value(format)),
                ("includeInvitations", run.Value(invitations) ? "true" : null));
            using var response = await run.Api().OpenStream(path, run.Ct);
            await using var body = await response.Content.ReadAsStreamAsync(run.Ct);
            if (run.Value(output) is not { } file)
            {
                await CopyText(body, run.Console.Out, run.Ct);
                return ExitCodes.Ok;
            }
            var target = Path.GetFullPath(file);
            // Streamed into a side file and renamed when complete: a broken download never looks like a whole export.
            var partial = target + ".partial";
            long bytes;
            try
            {
                await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    await body.CopyToAsync(stream, 1 << 16, run.Ct);
                    bytes = stream.Length;
                }
                File.Move(partial, target, overwrite: true);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                File.Delete(partial);
                if (e is HttpRequestException)
                {
                    throw new Http.ServerUnreachableException($"The export stopped before its end: {e.Message}; nothing was written to {target}.", e);
                }
                throw;
            }
            if (run.Json)
            {
                run.Console.Out.WriteLine(new JsonObject { ["file"] = target, ["bytes"] = bytes, ["format"] = run.Value(format) }.ToJsonString());
            }
            else
            {
                Show.Line(run.Ui, $"Wrote {Show.Count(bytes)} bytes of {run.Value(what)} ({run.Value(format)}) to {target}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Copies UTF-8 text from the response to a writer a buffer at a time.</summary>
    private static async Task CopyText(Stream body, TextWriter writer, CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var buffer = new char[1 << 14];
        int n;
        while ((n = await reader.ReadAsync(buffer.AsMemory(), ct)) > 0)
        {
            await writer.WriteAsync(buffer.AsMemory(0, n), ct);
        }
        await writer.FlushAsync(ct);
    }
}

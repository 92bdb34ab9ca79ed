using System.CommandLine;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.Json.Nodes;
using Bindery.Cli.Import;
using Bindery.Cli.Output;
using Spectre.Console;

namespace Bindery.Cli.Commands;

/// <summary>
/// <c>bindery import shops|accounts|invitations|unlink-approvals FILE.csv</c> (Z-3): a progress bar on stderr,
/// then a summary of created / exists / refused / failed rows, and FILE.rejected.csv with the rows to fix.
/// Exit 0 when every row is in, 1 when some were refused or failed, 3 when the server stopped the import.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(BinderyCli cli)
    {
        var kind = new Argument<string>("KIND") { Description = "shops, accounts, invitations or unlink-approvals" };
        kind.AcceptOnlyFromAmong(ImportKind.All.Select(k => k.Name).ToArray());
        var file = new Argument<string>("FILE") { Description = "A CSV file whose header names the API fields, e.g. id,handle,origin,registrationCountry,birthDate,status" };
        var runId = new Option<string?>("--run-id") { Description = "Resume an interrupted run with its Idempotency-Keys (printed in its summary)" };
        runId.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<string?>();
            if (v is not null && (v.Length is 0 or > 40 || !v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                r.AddError("--run-id: 1 to 40 letters, digits, '-' or '_'.");
            }
        });
        var command = new Command("import", "Import shops, accounts, invitations or unlink approvals from CSV, 1000 rows per request, with a progress bar.")
        {
            kind, file, runId,
        };
        cli.Action(command, async run =>
        {
            var importKind = ImportKind.All.Single(k => k.Name == run.Value(kind));
            var path = Path.GetFullPath(run.Value(file)!);
            var id = run.Value(runId) ?? cli.Settings.NewRunId();
            var importer = new BulkImporter(run.Api(), cli.Settings, run.Console.Error);
            ImportSummary summary;
            if (run.Console.ErrorIsTerminal && !run.Json)
            {
                summary = await WithProgressBar(run, importKind, rows => importer.Run(importKind, path, id, rows, run.Ct));
            }
            else
            {
                summary = await importer.Run(importKind, path, id, (_, _) => { }, run.Ct);
            }
            Write(run, summary);
            if (summary.Stopped is { } stopped)
            {
                // The CLI's error handling renders the problem and picks the exit code (3 for the server or network).
                ExceptionDispatchInfo.Capture(stopped).Throw();
            }
            return summary.AllIn ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }

    private static async Task<ImportSummary> WithProgressBar(Run run, ImportKind kind, Func<Action<long, long>, Task<ImportSummary>> import)
    {
        ImportSummary? summary = null;
        await run.Console.ErrorUi.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"Importing {kind.Name}", maxValue: 1);
                summary = await import((done, total) =>
                {
                    task.MaxValue = Math.Max(1, total);
                    task.Value = done;
                    task.Description = $"Importing {kind.Name} {Show.Count(done)}/{Show.Count(total)}";
                });
                task.StopTask();
            });
        return summary!;
    }

    /// <summary>A path as the user would type it: relative when it is under the current directory.</summary>
    private static string Shown(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    private static void Write(Run run, ImportSummary s)
    {
        if (run.Json)
        {
            run.Console.Out.WriteLine(new JsonObject
            {
                ["kind"] = s.Kind,
                ["file"] = s.File,
                ["rows"] = s.Rows,
                ["created"] = s.Created,
                ["exists"] = s.Exists,
                ["refused"] = s.Refused,
                ["failed"] = s.Failed,
                ["rejectedFile"] = s.RejectedFile,
                ["runId"] = s.RunId,
                ["requests"] = s.Requests,
                ["seconds"] = Math.Round(s.Elapsed.TotalSeconds, 3),
                ["stopped"] = s.Stopped is not null,
            }.ToJsonString());
            return;
        }
        var ui = run.Ui;
        Show.Line(ui, string.Create(CultureInfo.InvariantCulture,
            $"Imported {s.Kind} from {Shown(s.File)}: {Show.Count(s.Rows)} rows in {s.Requests} request{(s.Requests == 1 ? "" : "s")}, {s.Elapsed.TotalSeconds:0.0} s (run {s.RunId})"));
        var table = Show.Table("Result", "Rows");
        table.Row("created", Show.Count(s.Created));
        table.Row("exists (already there, same data)", Show.Count(s.Exists));
        table.Row("refused (by a rule)", Show.Count(s.Refused));
        table.Row("failed (invalid row)", Show.Count(s.Failed));
        ui.Write(table);
        if (s.RejectedFile is { } rejected)
        {
            var shown = Shown(rejected);
            Show.Line(ui, $"{Show.Count(s.Refused + s.Failed)} row{(s.Refused + s.Failed == 1 ? " was" : "s were")} not imported: see {shown} (error_code, error_rules, error_message).");
            Show.Line(ui, $"Fix them there and run: bindery import {s.Kind} {shown}");
        }
        if (s.Stopped is not null)
        {
            Show.Line(ui, string.Create(CultureInfo.InvariantCulture,
                $"Stopped after {Show.Count(s.RowsDone)} of {Show.Count(s.Rows)} rows. Run the same command again: rows already imported show as exists (or add --run-id {s.RunId} to replay this run's answers)."));
        }
    }
}

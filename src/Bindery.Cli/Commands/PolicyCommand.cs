using System.CommandLine;
using System.Text.Json.Nodes;
using Bindery.Cli.Output;
using Bindery.Domain;

namespace Bindery.Cli.Commands;

/// <summary>
/// <c>bindery policy list</c>, <c>policy show ID</c> (from the server) and <c>policy validate FILE</c> (offline, with
/// the server's own parser; every error with its line; exit 0 valid, 1 invalid).
/// </summary>
internal static class PolicyCommand
{
    public static Command Create(BinderyCli cli) => new("policy", "Show the server's policies, or validate a policy file offline.")
    {
        List(cli), ShowCommand(cli), Validate(cli),
    };

    private static Command List(BinderyCli cli)
    {
        var command = new Command("list", "The policies the server has loaded.");
        cli.Action(command, async run => run.Answer(await run.Api().Get("api/v1/policies", run.Ct), json =>
        {
            var table = Show.Table("Id", "Version", "Name");
            foreach (var p in json.AsArray())
            {
                table.Row(Show.Text(p, "id"), Show.Text(p, "version"), Show.Text(p, "name"));
            }
            run.Ui.Write(table);
        }));
        return command;
    }

    private static Command ShowCommand(BinderyCli cli)
    {
        var id = new Argument<string>("ID") { Description = "The policy id, e.g. tiktok-shop" };
        var command = new Command("show", "A policy of the server, in words.") { id };
        cli.Action(command, async run =>
        {
            var path = "api/v1/policies/" + Uri.EscapeDataString(run.Value(id)!);
            if (run.Json)
            {
                run.Console.Out.WriteLine((await run.Api().Get(path, run.Ct)).Text);
                return ExitCodes.Ok;
            }
            // The file as the server loaded it, read by the same parser the server uses: the words are exactly its rules.
            var source = await run.Api().Get(path + "?format=source", run.Ct);
            Policy policy;
            try
            {
                policy = PolicyParser.Parse(source.Text, run.Value(id)!);
            }
            catch (PolicyException)
            {
                // A server newer than this CLI: show what it sent.
                run.Console.Out.WriteLine(source.Text);
                return ExitCodes.Ok;
            }
            Words(run, policy);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Validate(BinderyCli cli)
    {
        var file = new Argument<string>("FILE") { Description = "A policy file (JSON with comments)" };
        var command = new Command("validate", "Validate a policy file offline: every error with its line number (exit 1 if invalid).") { file };
        cli.Action(command, run =>
        {
            var path = run.Value(file)!;
            if (!File.Exists(path))
            {
                throw new CliUsageException($"{path}: no such file.");
            }
            var json = File.ReadAllText(path);
            var errors = new List<PolicyErrorLines.LocatedError>();
            Policy? policy = null;
            try
            {
                policy = PolicyParser.Parse(json, path);
                // The server also requires the id to match the file name (PolicyCatalog).
                var expected = Path.GetFileNameWithoutExtension(path);
                if (!string.Equals(policy.Id, expected, StringComparison.Ordinal))
                {
                    var error = $"id: is '{policy.Id}' but the file is named '{expected}.json'; they must match";
                    errors.Add(new(PolicyErrorLines.LineOf(PolicyErrorLines.PathLines(json), error), error));
                }
            }
            catch (PolicyException e)
            {
                errors.AddRange(PolicyErrorLines.Locate(json, e));
            }
            if (run.Json)
            {
                var doc = new JsonObject
                {
                    ["file"] = path,
                    ["valid"] = errors.Count == 0,
                    ["errors"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject { ["line"] = e.Line, ["message"] = e.Message }).ToArray()),
                };
                if (policy is not null)
                {
                    doc["policy"] = new JsonObject { ["id"] = policy.Id, ["version"] = policy.Version, ["name"] = policy.Name };
                }
                run.Console.Out.WriteLine(doc.ToJsonString());
            }
            else if (errors.Count > 0)
            {
                // Compiler-style "file:line: message", so editors and terminals can jump to each line.
                foreach (var e in errors)
                {
                    run.Console.Out.WriteLine($"{path}:{e.Line}: {e.Message}");
                }
                run.Console.Out.WriteLine($"{path} is not valid: {errors.Count} error{(errors.Count == 1 ? "" : "s")}.");
            }
            else
            {
                Show.Line(run.Ui, $"{path} is valid.");
                Words(run, policy!);
            }
            return Task.FromResult(errors.Count == 0 ? ExitCodes.Ok : ExitCodes.Refused);
        });
        return command;
    }

    private static void Words(Run run, Policy policy)
    {
        var table = Show.Table("Topic", "Rule in words");
        foreach (var (topic, text) in PolicyWords.Describe(policy))
        {
            table.Row(topic, text);
        }
        run.Ui.Write(table);
    }
}

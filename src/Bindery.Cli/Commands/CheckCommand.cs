using System.CommandLine;
using System.Text.Json.Nodes;
using Bindery.Cli.Output;

namespace Bindery.Cli.Commands;

/// <summary>
/// <c>bindery check ACTION …</c>: the dry run (X-4). Prints every failing rule with its id, message and the instant
/// it passes; exit 0 when allowed, 1 when refused.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(BinderyCli cli)
    {
        var action = new Argument<string>("ACTION")
        {
            Description = "invite, swap, accept, decline, cancel, request_unlink, approve_unlink, reject_unlink, sell, …",
        };
        var shop = new Option<string?>("--shop") { Description = "The shop (invite, swap, sell)" };
        var account = new Option<string?>("--account") { Description = "The account id" };
        var handle = new Option<string?>("--handle") { Description = "The account's handle (instead of --account)" };
        var role = new Option<string?>("--role") { Description = "official, channel or showcase (invite)" };
        var binding = new Option<string?>("--binding") { Description = "The binding or invitation (accept, decline, cancel, request_unlink)" };
        var unlinkRequest = new Option<string?>("--unlink-request") { Description = "The unlink request (approve_unlink, reject_unlink)" };
        var command = new Command("check", "Ask whether an action would be allowed: every rule that refuses it, and when each passes (exit 1 if refused).")
        {
            action, shop, account, handle, role, binding, unlinkRequest,
        };
        cli.Action(command, async run =>
        {
            var body = new JsonObject { ["action"] = run.Value(action)!.Replace('-', '_') };
            Add(body, "shopId", run.Value(shop));
            Add(body, "accountId", run.Value(account));
            Add(body, "handle", run.Value(handle));
            Add(body, "role", run.Value(role));
            Add(body, "bindingId", run.Value(binding));
            Add(body, "unlinkRequestId", run.Value(unlinkRequest));
            var answer = await run.Api().Post("api/v1/checks", body, run.Ct);
            var check = answer.Json;
            var allowed = check["allowed"]?.GetValue<bool>() == true;
            if (run.Json)
            {
                run.Console.Out.WriteLine(answer.Text);
                return allowed ? ExitCodes.Ok : ExitCodes.Refused;
            }
            Write(run, check, allowed);
            return allowed ? ExitCodes.Ok : ExitCodes.Refused;
        });
        return command;
    }

    private static void Write(Run run, JsonNode check, bool allowed)
    {
        var ui = run.Ui;
        var reasons = check["reasons"] as JsonArray ?? [];
        Show.Bold(ui, allowed
            ? $"Allowed: {Show.Text(check, "action")} (evaluated at {Show.Instant(check, "evaluatedAt")})"
            : $"Refused: {Show.Text(check, "action")} — {reasons.Count} rule{(reasons.Count == 1 ? "" : "s")} (evaluated at {Show.Instant(check, "evaluatedAt")})");
        if (reasons.Count > 0)
        {
            ui.Write(Show.Reasons(reasons));
        }
        if (!allowed)
        {
            Show.Line(ui, check["passesAt"] is null
                ? "Waiting alone will not make every rule pass."
                : $"Every rule passes at {Show.Instant(check, "passesAt", roundUp: true)}.");
        }
        if (check["effects"] is JsonArray { Count: > 0 } effects)
        {
            // Z-4: what the action does besides itself (the binding a swap ends, the quota it spends).
            var table = Show.Table("Effect", "Subject", "Rule", "Message");
            foreach (var e in effects)
            {
                table.Row(Show.Text(e, "kind"), Show.Text(e, "subject"), Show.Text(e, "rule"), Show.Text(e, "message"));
            }
            ui.Write(table);
        }
        if (check["sale"] is JsonObject sale)
        {
            Show.Line(ui, $"Sale: commission rate {Show.Text(sale, "commissionRate")}, rule {Show.Text(sale, "rule")}: {Show.Text(sale, "explanation")}");
        }
    }

    private static void Add(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }
}

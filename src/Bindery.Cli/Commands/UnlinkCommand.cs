using System.CommandLine;
using System.Text.Json.Nodes;
using Bindery.Cli.Output;

namespace Bindery.Cli.Commands;

/// <summary>
/// <c>bindery unlink request BINDING</c> (the creator asks, TS-U1), <c>unlink approve|reject REQUEST</c> (the shop answers).
/// </summary>
internal static class UnlinkCommand
{
    public static Command Create(BinderyCli cli)
    {
        var binding = new Argument<string>("BINDING") { Description = "The binding to undo" };
        var reason = new Option<string?>("--reason") { Description = "Why (shown to the shop)" };
        var request = new Command("request", "Ask to unlink a binding (the creator); refusals list every rule (exit 1).") { binding, reason };
        cli.Action(request, async run =>
        {
            var answer = await run.Api().Post($"api/v1/bindings/{Uri.EscapeDataString(run.Value(binding)!)}/unlink-requests",
                new JsonObject { ["reason"] = run.Value(reason) }, run.Ct);
            return run.Answer(answer, json => Write(run, json));
        });
        return new Command("unlink", "Ask to unlink a binding, or approve or reject an unlink request.")
        {
            request,
            Decide(cli, "approve", "Approve an unlink request (the shop): the binding ends."),
            Decide(cli, "reject", "Reject an unlink request (the shop)."),
        };
    }

    private static Command Decide(BinderyCli cli, string verb, string description)
    {
        var id = new Argument<string>("REQUEST") { Description = "The unlink request id" };
        var note = new Option<string?>("--note") { Description = "A note for the creator" };
        var command = new Command(verb, description) { id, note };
        cli.Action(command, async run =>
        {
            var answer = await run.Api().Post($"api/v1/unlink-requests/{Uri.EscapeDataString(run.Value(id)!)}/{verb}",
                new JsonObject { ["note"] = run.Value(note) }, run.Ct);
            return run.Answer(answer, json => Write(run, json));
        });
        return command;
    }

    private static void Write(Run run, JsonNode u) => Show.Fields(run.Ui,
    [
        ("Unlink request", Show.Text(u, "id")),
        ("Binding", Show.Text(u, "bindingId")),
        ("Shop", Show.Text(u, "shopId")),
        ("Account", Show.Text(u, "accountId")),
        ("State", Show.Text(u, "state")),
        ("Reason", Show.Text(u, "reason")),
        // TS-U4: only a pending request is approved automatically.
        ("Auto-approves at", Show.Text(u, "state") == "pending" ? Show.Instant(u, "autoApproveAt", roundUp: true) : Show.None),
        ("Decided", u["decidedAt"] is null ? Show.None : $"{Show.Instant(u, "decidedAt")} by {Show.Text(u, "decidedBy")}"),
        ("Waiting on", BindingView.WaitingOn(u["waitingOn"])),
    ]);
}

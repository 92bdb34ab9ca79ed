using System.Text.Json.Nodes;
using Bindery.Cli.Output;
using Spectre.Console;

namespace Bindery.Cli.Commands;

/// <summary>A binding or invitation for people: who, what role, its state, and who must act by when (Z-1).</summary>
internal static class BindingView
{
    public static void Write(IAnsiConsole ui, JsonNode b)
    {
        Show.Fields(ui,
        [
            ("Binding", Show.Text(b, "id")),
            ("Shop", Show.Text(b, "shopId")),
            ("Account", Show.Text(b, "accountId")),
            ("Role", Show.Text(b, "role")),
            ("State", Show.Text(b, "state")),
            ("Expires", Show.Instant(b, "expiresAt")),
            ("Activated", Show.Instant(b, "activatedAt")),
            ("Ended", b["endedAt"] is null ? Show.None : $"{Show.Instant(b, "endedAt")} by {Show.Text(b, "endedBy")} ({Show.Text(b, "endReason")})"),
            ("Waiting on", WaitingOn(b["waitingOn"])),
            ("Replaces", Show.Text(b, "replacesBindingId")),
        ]);
        if (b["pendingBecause"] is JsonArray { Count: > 0 } reasons)
        {
            Show.Line(ui, "Pending because:");
            ui.Write(Show.Reasons(reasons));
        }
    }

    public static string WaitingOn(JsonNode? w) =>
        w is null ? Show.None : $"{Show.Text(w, "party")} {Show.Text(w, "id")} by {Show.Instant(w, "dueAt")} (then: {Show.Text(w, "onTimeout")})";
}

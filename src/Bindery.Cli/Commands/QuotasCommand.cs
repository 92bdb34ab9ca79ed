using System.CommandLine;
using Bindery.Cli.Output;

namespace Bindery.Cli.Commands;

/// <summary><c>bindery quotas SHOP</c>: used / limit / window and when a slot frees, per rule (Z-2, TS-Q4).</summary>
internal static class QuotasCommand
{
    public static Command Create(BinderyCli cli)
    {
        var shop = new Argument<string>("SHOP") { Description = "The shop" };
        var command = new Command("quotas", "A shop's quota counters: used, limit, window and the next free slot per rule.") { shop };
        cli.Action(command, async run =>
        {
            var answer = await run.Api().Get($"api/v1/shops/{Uri.EscapeDataString(run.Value(shop)!)}/quotas", run.Ct);
            return run.Answer(answer, q =>
            {
                Show.Line(run.Ui, $"Shop {Show.Text(q, "shopId")} under policy {Show.Text(q, "policyId")}, as of {Show.Instant(q, "asOf")}"
                    + (q["onProbation"]?.GetValue<bool>() == true ? $"; on probation until {Show.Instant(q, "probationEndsAt")}" : ""));
                var table = Show.Table("Quota", "Rule", "Used", "Limit", "Remaining", "Window", "Next slot", "Message");
                foreach (var x in q["quotas"]!.AsArray())
                {
                    table.Row(Show.Text(x, "name"), Show.Text(x, "rule"), Show.Text(x, "used"),
                        x?["limit"] is null ? "no limit" : Show.Text(x, "limit"), Show.Text(x, "remaining"),
                        Show.Text(x, "window"), Show.Instant(x, "nextSlotAt", roundUp: true), Show.Text(x, "message"));
                }
                run.Ui.Write(table);
            });
        });
        return command;
    }
}

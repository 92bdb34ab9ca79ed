using System.CommandLine;
using Bindery.Cli.Output;

namespace Bindery.Cli.Commands;

/// <summary><c>bindery history (--shop ID | --account ID)</c>: the append-only history, a page at a time (X-1).</summary>
internal static class HistoryCommand
{
    public static Command Create(BinderyCli cli)
    {
        var shop = new Option<string?>("--shop") { Description = "The shop's history" };
        var account = new Option<string?>("--account") { Description = "The account's history" };
        var after = new Option<long?>("--after") { Description = "Entries after this sequence number" };
        var limit = new Option<int?>("--limit") { Description = "At most this many entries" };
        var command = new Command("history", "Who changed what and when, oldest first, for a shop or an account.") { shop, account, after, limit };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(shop) is null) == (r.GetValue(account) is null))
            {
                r.AddError("Give exactly one of --shop or --account.");
            }
        });
        cli.Action(command, async run =>
        {
            var path = run.Value(shop) is { } s
                ? $"api/v1/shops/{Uri.EscapeDataString(s)}/history"
                : $"api/v1/accounts/{Uri.EscapeDataString(run.Value(account)!)}/history";
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var answer = await run.Api().Get(path + Query.Of(("after", run.Value(after)?.ToString(inv)), ("limit", run.Value(limit)?.ToString(inv))), run.Ct);
            return run.Answer(answer, page =>
            {
                // The other party of each entry: the account in a shop's history, the shop in an account's.
                var other = run.Value(shop) is null ? "shopId" : "accountId";
                var table = Show.Table("Seq", "At", "Actor", "Action", "Subject id", other == "shopId" ? "Shop" : "Account");
                foreach (var h in page["items"]!.AsArray())
                {
                    table.Row(Show.Text(h, "seq"), Show.Instant(h, "at"),
                        h?["onBehalfOf"] is null ? Show.Text(h, "actor") : $"{Show.Text(h, "actor")} for {Show.Text(h, "onBehalfOf")}",
                        Show.Text(h, "action"), Show.Text(h, "subjectId"), Show.Text(h, other));
                }
                run.Ui.Write(table);
                if (page["next"] is { } next)
                {
                    Show.Line(run.Ui, $"More: run again with --after {Show.Text(next)}");
                }
            });
        });
        return command;
    }
}

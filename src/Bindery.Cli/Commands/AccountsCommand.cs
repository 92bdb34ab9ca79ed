using System.CommandLine;
using Bindery.Cli.Output;

namespace Bindery.Cli.Commands;

/// <summary><c>bindery accounts ID [--bindings]</c>: show a creator account, or list its bindings.</summary>
internal static class AccountsCommand
{
    public static Command Create(BinderyCli cli)
    {
        var id = new Argument<string>("ID") { Description = "The account id" };
        var bindings = new Option<bool>("--bindings") { Description = "List the account's bindings" };
        var command = new Command("accounts", "Show a creator account, or list its bindings.") { id, bindings };
        cli.Action(command, async run =>
        {
            var path = "api/v1/accounts/" + Uri.EscapeDataString(run.Value(id)!);
            if (run.Value(bindings))
            {
                return run.Answer(await run.Api().Get(path + "/bindings", run.Ct),
                    json => run.Ui.Write(ShopsCommand.BindingsTable(json.AsArray(), counterpart: "shopId")));
            }
            return run.Answer(await run.Api().Get(path, run.Ct), a => Show.Fields(run.Ui,
            [
                ("Account", $"{Show.Text(a, "id")} — @{Show.Text(a, "handle")}"),
                ("Origin", Show.Text(a, "origin")),
                ("Registered in", Show.Text(a, "registrationCountry")),
                ("Born", Show.Text(a, "birthDate")),
                ("Status", Show.Text(a, "status")),
                ("Type", Show.Text(a, "type")),
                ("Real-name verified", Show.Text(a, "realNameVerified")),
                ("Formal payment account", Show.Text(a, "hasFormalPaymentAccount")),
                ("Deleted", Show.Instant(a, "deletedAt")),
                ("Created", Show.Instant(a, "createdAt")),
            ]));
        });
        return command;
    }
}

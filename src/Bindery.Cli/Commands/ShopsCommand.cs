using System.CommandLine;
using System.Text.Json.Nodes;
using Bindery.Cli.Output;

namespace Bindery.Cli.Commands;

/// <summary><c>bindery shops [ID] [--bindings]</c>: list shops, show one, or list its bindings.</summary>
internal static class ShopsCommand
{
    public static Command Create(BinderyCli cli)
    {
        var id = new Argument<string?>("ID") { Description = "A shop id: show this shop", Arity = ArgumentArity.ZeroOrOne };
        var bindings = new Option<bool>("--bindings") { Description = "List the shop's bindings (with ID)" };
        var state = new Option<string?>("--state") { Description = "With --bindings: only this state (live, active, invited, ended, …)" };
        var limit = new Option<int?>("--limit") { Description = "At most this many shops" };
        var skip = new Option<int?>("--skip") { Description = "Skip this many shops" };
        var command = new Command("shops", "List the shops you can see, or show one shop (and its bindings).") { id, bindings, state, limit, skip };
        cli.Action(command, async run =>
        {
            var shopId = run.Value(id);
            var api = run.Api();
            if (shopId is null)
            {
                if (run.Value(bindings))
                {
                    throw new CliUsageException("--bindings needs a shop ID: bindery shops ID --bindings");
                }
                var query = Query.Of(("limit", run.Value(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    ("skip", run.Value(skip)?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                return run.Answer(await api.Get("api/v1/shops" + query, run.Ct), json =>
                {
                    var table = Show.Table("Id", "Name", "Policy", "Country", "Merchant", "Kind", "Status", "Probation ends");
                    foreach (var s in json.AsArray())
                    {
                        table.Row(Show.Text(s, "id"), Show.Text(s, "name"), Show.Text(s, "policyId"), Show.Text(s, "country"),
                            Show.Text(s, "merchantType"), Show.Text(s, "kind"), Show.Text(s, "status"), Show.Instant(s, "probationEndsAt"));
                    }
                    run.Ui.Write(table);
                });
            }
            var path = "api/v1/shops/" + Uri.EscapeDataString(shopId);
            if (run.Value(bindings))
            {
                return run.Answer(await api.Get(path + "/bindings" + Query.Of(("state", run.Value(state))), run.Ct),
                    json => run.Ui.Write(BindingsTable(json.AsArray(), counterpart: "accountId")));
            }
            return run.Answer(await api.Get(path, run.Ct), s => Show.Fields(run.Ui,
            [
                ("Shop", $"{Show.Text(s, "id")} — {Show.Text(s, "name")}"),
                ("Policy", Show.Text(s, "policyId")),
                ("Country", Show.Text(s, "country")),
                ("Merchant type", Show.Text(s, "merchantType")),
                ("Kind", Show.Text(s, "kind")),
                ("Status", Show.Text(s, "status")),
                ("Probation ends", Show.Instant(s, "probationEndsAt")),
                ("E-commerce permission", Show.Text(s, "ecommercePermission")),
                ("Main account", Show.Text(s, "mainAccountId")),
                ("Closes at", Show.Instant(s, "closesAt")),
                ("Created", Show.Instant(s, "createdAt")),
            ]));
        });
        return command;
    }

    /// <summary>Bindings of a shop (showing the account) or of an account (showing the shop).</summary>
    public static Spectre.Console.Table BindingsTable(JsonArray items, string counterpart)
    {
        var table = Show.Table("Binding", counterpart == "accountId" ? "Account" : "Shop", "Role", "State", "Activated", "Ended");
        foreach (var b in items)
        {
            table.Row(Show.Text(b, "id"), Show.Text(b, counterpart), Show.Text(b, "role"), Show.Text(b, "state"),
                Show.Instant(b, "activatedAt"), Show.Instant(b, "endedAt"));
        }
        return table;
    }
}

/// <summary>A query string from the pairs that have a value.</summary>
internal static class Query
{
    public static string Of(params (string Name, string? Value)[] pairs)
    {
        var parts = pairs.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)).ToArray();
        return parts.Length == 0 ? "" : "?" + string.Join("&", parts);
    }
}

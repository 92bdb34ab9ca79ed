using System.CommandLine;
using System.Text.Json.Nodes;

namespace Bindery.Cli.Commands;

/// <summary><c>bindery invite SHOP (--handle H | --account ID) --role ROLE</c> (TS-I1).</summary>
internal static class InviteCommand
{
    public static Command Create(BinderyCli cli)
    {
        var shop = new Argument<string>("SHOP") { Description = "The shop that invites" };
        var handle = new Option<string?>("--handle") { Description = "The account's handle" };
        var account = new Option<string?>("--account") { Description = "The account id" };
        var role = new Option<string>("--role") { Description = "official, channel or showcase", Required = true };
        var command = new Command("invite", "Invite an account to bind to a shop in a role; refusals list every rule (exit 1).") { shop, handle, account, role };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(handle) is null) == (r.GetValue(account) is null))
            {
                r.AddError("Give exactly one of --handle or --account.");
            }
        });
        cli.Action(command, async run =>
        {
            var body = new JsonObject { ["role"] = run.Value(role) };
            if (run.Value(handle) is { } h)
            {
                body["handle"] = h;
            }
            if (run.Value(account) is { } a)
            {
                body["accountId"] = a;
            }
            var answer = await run.Api().Post($"api/v1/shops/{Uri.EscapeDataString(run.Value(shop)!)}/invitations", body, run.Ct);
            return run.Answer(answer, json => BindingView.Write(run.Ui, json));
        });
        return command;
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;

namespace Bindery.Cli.Commands;

/// <summary>
/// <c>bindery swap SHOP (--account ID | --handle H)</c> (Z-4): invite a new official account that replaces the
/// current one; when it accepts, the old binding ends at the same instant. <c>bindery check swap</c> explains it first.
/// </summary>
internal static class SwapCommand
{
    public static Command Create(BinderyCli cli)
    {
        var shop = new Argument<string>("SHOP") { Description = "The shop whose official account is replaced" };
        var account = new Option<string?>("--account") { Description = "The new official account's id" };
        var handle = new Option<string?>("--handle") { Description = "The new official account's handle" };
        var command = new Command("swap", "Replace the shop's official account: an invitation that, once accepted, ends the old binding at the same instant.")
        {
            shop, account, handle,
        };
        command.Validators.Add(r =>
        {
            if ((r.GetValue(handle) is null) == (r.GetValue(account) is null))
            {
                r.AddError("Give exactly one of --handle or --account.");
            }
        });
        cli.Action(command, async run =>
        {
            var body = new JsonObject();
            if (run.Value(account) is { } a)
            {
                body["accountId"] = a;
            }
            if (run.Value(handle) is { } h)
            {
                body["handle"] = h;
            }
            var answer = await run.Api().Post($"api/v1/shops/{Uri.EscapeDataString(run.Value(shop)!)}/official-account/swap", body, run.Ct);
            return run.Answer(answer, json => BindingView.Write(run.Ui, json));
        });
        return command;
    }
}

using System.CommandLine;

namespace Bindery.Cli.Commands;

/// <summary><c>bindery accept|decline|cancel INVITATION</c>: answer an invitation (TS-I2).</summary>
internal static class AnswerCommands
{
    public static Command Accept(BinderyCli cli) => Create(cli, "accept", "Accept an invitation (the creator).");

    public static Command Decline(BinderyCli cli) => Create(cli, "decline", "Decline an invitation (the creator).");

    public static Command Cancel(BinderyCli cli) => Create(cli, "cancel", "Cancel an invitation not yet answered (the merchant).");

    private static Command Create(BinderyCli cli, string verb, string description)
    {
        var id = new Argument<string>("INVITATION") { Description = "The invitation (binding) id" };
        var command = new Command(verb, description) { id };
        cli.Action(command, async run =>
        {
            var answer = await run.Api().Post($"api/v1/invitations/{Uri.EscapeDataString(run.Value(id)!)}/{verb}", null, run.Ct);
            return run.Answer(answer, json => BindingView.Write(run.Ui, json));
        });
        return command;
    }
}

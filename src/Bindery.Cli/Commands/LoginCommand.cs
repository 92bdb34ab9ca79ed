using System.CommandLine;
using Bindery.Cli.Http;
using Bindery.Cli.Output;

namespace Bindery.Cli.Commands;

/// <summary><c>bindery login --server URL --token TOKEN</c>: checks the token, then stores both (file mode 600).</summary>
internal static class LoginCommand
{
    public static Command Create(BinderyCli cli)
    {
        var command = new Command("login", "Check a server URL and token, and remember them in the user's config directory (file mode 600).");
        cli.Action(command, async run =>
        {
            var server = run.Value(cli.Global.Server);
            var token = run.Value(cli.Global.Token);
            if (server is null || token is null)
            {
                throw new CliUsageException("login needs --server URL and --token TOKEN.");
            }
            var connection = new Connection(Run.ServerUri(server), token, run.Value(cli.Global.Lang), null);
            // Any authenticated read proves the token; a rejected token is not stored.
            using (var api = new ApiClient(cli.Http(), connection))
            {
                await api.Get("api/v1/policies", run.Ct);
            }
            cli.Config.Save(new CliConfig(connection.Server.AbsoluteUri, token));
            if (run.Json)
            {
                run.Console.Out.WriteLine(new System.Text.Json.Nodes.JsonObject { ["server"] = connection.Server.AbsoluteUri, ["configFile"] = cli.Config.FilePath }.ToJsonString());
            }
            else
            {
                Show.Line(run.Ui, $"Logged in to {connection.Server.AbsoluteUri}; saved to {cli.Config.FilePath} (readable by you only).");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.Json.Nodes;
using Bindery.Cli.Commands;
using Bindery.Cli.Http;
using Bindery.Cli.Output;
using Spectre.Console;

namespace Bindery.Cli;

/// <summary>Things a test may replace besides HTTP, the console and the config store.</summary>
public sealed class CliSettings
{
    /// <summary>Environment variables (BINDERY_SERVER, BINDERY_TOKEN, BINDERY_COUNTRY, XDG_CONFIG_HOME, COLUMNS).</summary>
    public Func<string, string?> Environment { get; init; } = global::System.Environment.GetEnvironmentVariable;

    /// <summary>Waits before each retry of an import chunk after a network error or a 5xx answer.</summary>
    public IReadOnlyList<TimeSpan> RetryDelays { get; init; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)];

    /// <summary>Measures how long an import took, and times the retry waits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Rows per bulk request (the server takes at most 1000).</summary>
    public int ImportChunkSize { get; init; } = 1000;

    /// <summary>Identifies one import run inside its Idempotency-Keys, unless --run-id is given.</summary>
    public Func<string> NewRunId { get; init; } = () => Guid.NewGuid().ToString("N")[..12];
}

/// <summary>
/// The <c>bindery</c> command line: an object with injected dependencies (house rule 12), so tests invoke it
/// in-process with captured output: <c>await new BinderyCli(handler, console, config).InvokeAsync(args)</c>
/// returns the exit code (<see cref="ExitCodes"/>).
/// </summary>
public sealed class BinderyCli(Func<HttpMessageHandler> http, CliConsole console, ConfigStore config, CliSettings? settings = null)
{
    public CliConsole Console { get; } = console;

    public ConfigStore Config { get; } = config;

    public CliSettings Settings { get; } = settings ?? new CliSettings();

    internal Func<HttpMessageHandler> Http { get; } = http;

    internal GlobalOptions Global { get; } = new();

    /// <summary>The CLI of this process: real HTTP, stdout/stderr, the user's config directory.</summary>
    public static BinderyCli ForProcess()
    {
        Func<string, string?> env = global::System.Environment.GetEnvironmentVariable;
        return new BinderyCli(
            () => new SocketsHttpHandler { AutomaticDecompression = global::System.Net.DecompressionMethods.All, PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
            CliConsole.System(env),
            new ConfigStore(ConfigStore.DefaultDirectory(env)),
            new CliSettings { Environment = env });
    }

    public async Task<int> InvokeAsync(IReadOnlyList<string> args, CancellationToken ct = default)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        // An unknown option would otherwise be taken as the value of an argument (an id starting with "--").
        var unknown = parse.Tokens.Where(t => t.Type == TokenType.Argument && t.Value.StartsWith("--", StringComparison.Ordinal) && t.Value.Length > 2).ToArray();
        if (parse.Action is ParseErrorAction || unknown.Length > 0)
        {
            foreach (var error in parse.Errors.Select(e => e.Message).Concat(unknown.Select(t => $"Unknown option: {t.Value}")).Distinct(StringComparer.Ordinal))
            {
                Console.Error.WriteLine(error);
            }
            Console.Error.WriteLine("Run 'bindery --help' for usage.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = Console.Out,
            Error = Console.Error,
            EnableDefaultExceptionHandler = false,
        }, ct);
    }

    internal Command BuildRoot()
    {
        var root = new Command("bindery", "Bindery command line: shops, accounts, invitations, checks, quotas, history, exports, bulk imports and policies over the HTTP API.")
        {
            new HelpOption(),
            new VersionOption(),
            Global.Server, Global.Token, Global.Json, Global.Lang, Global.Country,
            LoginCommand.Create(this),
            ShopsCommand.Create(this),
            AccountsCommand.Create(this),
            InviteCommand.Create(this),
            SwapCommand.Create(this),
            AnswerCommands.Accept(this),
            AnswerCommands.Decline(this),
            AnswerCommands.Cancel(this),
            UnlinkCommand.Create(this),
            CheckCommand.Create(this),
            QuotasCommand.Create(this),
            HistoryCommand.Create(this),
            ExportCommand.Create(this),
            ImportCommand.Create(this),
            PolicyCommand.Create(this),
        };
        return root;
    }

    /// <summary>
    /// Runs a command's body and turns what went wrong into the documented exit code: a problem answer of the API
    /// (rule denials with their reasons table), an unreachable server, or a usage mistake.
    /// </summary>
    internal void Action(Command command, Func<Run, Task<int>> body) =>
        command.SetAction(async (parse, ct) =>
        {
            using var run = new Run(this, parse, ct);
            try
            {
                return await body(run);
            }
            catch (CliUsageException e)
            {
                Console.Error.WriteLine(e.Message);
                return ExitCodes.Usage;
            }
            catch (ApiProblemException e)
            {
                WriteProblem(run, e);
                return e.ExitCode;
            }
            catch (ServerUnreachableException e)
            {
                if (run.Json)
                {
                    Console.Out.WriteLine(new JsonObject
                    {
                        ["type"] = "urn:bindery:cli:server-unreachable",
                        ["title"] = "The server could not be reached.",
                        ["detail"] = e.Message,
                        ["code"] = "server_unreachable",
                    }.ToJsonString());
                }
                Console.Error.WriteLine(e.Message);
                return ExitCodes.Server;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A local file that cannot be read or written (an export's --out, an import's rejected file).
                Console.Error.WriteLine($"bindery: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (System.Text.Json.JsonException e)
            {
                Console.Error.WriteLine($"bindery: the server's answer is not the JSON expected: {e.Message}");
                return ExitCodes.Server;
            }
        });

    /// <summary>
    /// A problem answer: with --json the problem document itself on stdout (scripts read one JSON document either
    /// way); else its title and detail on stderr, every reason of a rule denial in a table, field errors listed.
    /// </summary>
    internal void WriteProblem(Run run, ApiProblemException e)
    {
        if (run.Json)
        {
            Console.Out.WriteLine(e.Problem?.ToJsonString() ?? new JsonObject
            {
                ["title"] = "The server answered without a problem document.",
                ["status"] = e.Status,
                ["detail"] = e.Text.Length > 500 ? e.Text[..500] : e.Text,
                ["code"] = "unexpected_answer",
            }.ToJsonString());
            return;
        }
        var ui = Console.ErrorUi;
        var p = e.Problem;
        if (p is null)
        {
            Show.Line(ui, $"{e.Request}: the server answered {e.Status} without a problem document: {(e.Text.Length > 200 ? e.Text[..200] : e.Text)}");
            return;
        }
        var code = Show.Text(p, "code");
        var title = Show.Text(p, "title");
        Show.Line(ui, e.ExitCode == ExitCodes.Refused ? $"Refused: {title}" : $"Error {e.Status} {code}: {title}");
        if (p["reasons"] is JsonArray { Count: > 0 } reasons)
        {
            ui.Write(Show.Reasons(reasons));
            Show.Line(ui, p["passesAt"] is null
                ? "Waiting alone will not make every rule pass."
                : $"Every rule passes at {Show.Instant(p, "passesAt", roundUp: true)}.");
        }
        else if (p["errors"] is JsonObject errors)
        {
            foreach (var (field, messages) in errors)
            {
                Show.Line(ui, $"  {field}: {Show.Text(messages)}");
            }
        }
        else if (p["detail"] is not null && Show.Text(p, "detail") != title)
        {
            Show.Line(ui, Show.Text(p, "detail"));
        }
    }
}

/// <summary>The options every command takes (given before or after the command name).</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server")
    {
        Description = "Server URL (overrides BINDERY_SERVER and the login config)",
        Recursive = true,
        HelpName = "URL",
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "Bearer token (overrides BINDERY_TOKEN and the login config)",
        Recursive = true,
        HelpName = "TOKEN",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write JSON for scripts instead of tables: the server's answer, or a JSON summary",
        Recursive = true,
    };

    public Option<string?> Lang { get; } = new("--lang")
    {
        Description = "Language of the server's messages, sent as Accept-Language (en, zh-CN)",
        Recursive = true,
        HelpName = "LANG",
    };

    public Option<string?> Country { get; } = new("--country")
    {
        Description = "Your network country, sent as X-Client-Country (TS-E4); default BINDERY_COUNTRY",
        Recursive = true,
        HelpName = "CC",
    };
}

/// <summary>One invocation of a command: its parsed values, the console, and the API client on demand.</summary>
internal sealed class Run(BinderyCli cli, ParseResult parse, CancellationToken ct) : IDisposable
{
    private ApiClient? api;

    public BinderyCli Cli { get; } = cli;

    public ParseResult Parse { get; } = parse;

    public CancellationToken Ct { get; } = ct;

    public CliConsole Console => Cli.Console;

    public IAnsiConsole Ui => Cli.Console.Ui;

    public bool Json => Parse.GetValue(Cli.Global.Json);

    public T? Value<T>(Option<T> option) => Parse.GetValue(option);

    public T? Value<T>(Argument<T> argument) => Parse.GetValue(argument);

    /// <summary>Server and token from --server/--token, else BINDERY_SERVER/BINDERY_TOKEN, else the login config.</summary>
    public Connection Connection()
    {
        var env = Cli.Settings.Environment;
        var stored = (Parse.GetValue(Cli.Global.Server) is null || Parse.GetValue(Cli.Global.Token) is null) ? Cli.Config.Load() : null;
        var server = Parse.GetValue(Cli.Global.Server) ?? NonEmpty(env("BINDERY_SERVER")) ?? stored?.Server;
        if (server is null)
        {
            throw new CliUsageException("Not logged in: run `bindery login --server URL --token TOKEN`, or set BINDERY_SERVER and BINDERY_TOKEN.");
        }
        var uri = ServerUri(server);
        // The stored token is only ever sent to the server it was stored for, never to one named by --server or BINDERY_SERVER.
        var storedToken = stored is not null && Uri.Compare(ServerUri(stored.Server), uri, UriComponents.SchemeAndServer | UriComponents.Path,
            UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0 ? stored.Token : null;
        var token = Parse.GetValue(Cli.Global.Token) ?? NonEmpty(env("BINDERY_TOKEN")) ?? storedToken;
        if (token is null)
        {
            throw new CliUsageException($"No token for {uri}: give --token, set BINDERY_TOKEN, or run `bindery login --server {uri} --token TOKEN`.");
        }
        return new Connection(uri, token, Parse.GetValue(Cli.Global.Lang), Parse.GetValue(Cli.Global.Country) ?? NonEmpty(env("BINDERY_COUNTRY")));
    }

    public ApiClient Api() => api ??= new ApiClient(Cli.Http(), Connection());

    /// <summary>Writes an answer: its JSON verbatim with --json, else what <paramref name="table"/> draws.</summary>
    public int Answer(ApiResponse response, Action<JsonNode> table)
    {
        if (Json)
        {
            Console.Out.WriteLine(response.Text);
        }
        else
        {
            table(response.Json);
        }
        return ExitCodes.Ok;
    }

    public static Uri ServerUri(string server)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"'{server}' is not a server URL such as http://127.0.0.1:5080.");
        }
        return uri;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    public void Dispose() => api?.Dispose();
}

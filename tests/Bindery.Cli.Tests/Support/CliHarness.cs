using Bindery.Cli;

namespace Bindery.Cli.Tests;

/// <summary>What one CLI invocation printed and returned.</summary>
public sealed record CliResult(int Exit, string Out, string Err)
{
    public string All => Out + Err;

    public override string ToString() => $"exit {Exit}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>
/// Runs the CLI in-process (house rule 12): its HTTP handler, captured stdout/stderr, a config directory of its own
/// under the temp folder, and environment variables from a dictionary (never the test process's own).
/// </summary>
public sealed class CliHarness : IDisposable
{
    private readonly Func<HttpMessageHandler> handler;

    public CliHarness(Func<HttpMessageHandler> handler)
    {
        this.handler = handler;
        Directory.CreateDirectory(Root);
    }

    /// <summary>A temp folder for this harness: config, CSV files, exports. Removed on dispose.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"bindery-cli-test-{Guid.NewGuid():N}");

    public string ConfigDirectory => Path.Combine(Root, "config", "bindery");

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public List<TimeSpan> RetryDelays { get; } = [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero];

    public int ChunkSize { get; set; } = 1000;

    public string RunId { get; set; } = "testrun";

    public bool ErrorIsTerminal { get; set; }

    public string File(string name) => Path.Combine(Root, name);

    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public async Task<CliResult> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var cli = new BinderyCli(handler, CliConsole.Captured(output, error, errorIsTerminal: ErrorIsTerminal), new ConfigStore(ConfigDirectory),
            new CliSettings
            {
                Environment = name => Environment.TryGetValue(name, out var v) ? v : null,
                RetryDelays = RetryDelays,
                ImportChunkSize = ChunkSize,
                NewRunId = () => RunId,
            });
        var exit = await cli.InvokeAsync(args);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp folder
        }
    }
}

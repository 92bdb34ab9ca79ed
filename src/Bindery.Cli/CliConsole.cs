using System.Globalization;
using Spectre.Console;

namespace Bindery.Cli;

/// <summary>
/// Where the CLI writes: <see cref="Out"/> (answers, tables, JSON, streamed exports) and <see cref="Error"/>
/// (messages, problems, the progress bar), each with a Spectre console for tables. Tests pass string writers.
/// </summary>
public sealed class CliConsole
{
    private CliConsole(TextWriter output, TextWriter error, IAnsiConsole ui, IAnsiConsole errorUi, bool errorIsTerminal)
    {
        Out = output;
        Error = error;
        Ui = ui;
        ErrorUi = errorUi;
        ErrorIsTerminal = errorIsTerminal;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>A person watches stderr: the import draws a live progress bar there.</summary>
    public bool ErrorIsTerminal { get; }

    /// <summary>Tables and text for stdout.</summary>
    public IAnsiConsole Ui { get; }

    /// <summary>Messages, problems and the progress bar on stderr.</summary>
    public IAnsiConsole ErrorUi { get; }

    /// <summary>
    /// The process's own stdout and stderr. When stdout is not a terminal, tables are COLUMNS wide (120 if unset),
    /// without colours, so that redirected output is plain text.
    /// </summary>
    public static CliConsole System(Func<string, string?> environment)
    {
        var columns = int.TryParse(environment("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 20 ? c : 120;
        var outTerminal = !Console.IsOutputRedirected;
        var errTerminal = !Console.IsErrorRedirected;
        return new CliConsole(Console.Out, Console.Error,
            Create(Console.Out, outTerminal ? AnsiSupport.Detect : AnsiSupport.No, outTerminal ? null : columns),
            Create(Console.Error, errTerminal ? AnsiSupport.Detect : AnsiSupport.No, errTerminal ? null : columns),
            errTerminal);
    }

    /// <summary>
    /// Captured output for tests: plain text at a fixed width. <paramref name="errorIsTerminal"/> makes stderr
    /// behave like a terminal (ANSI, interactive) so the live progress bar is drawn into the captured text.
    /// </summary>
    public static CliConsole Captured(StringWriter output, StringWriter error, int width = 160, bool errorIsTerminal = false) =>
        new(output, error,
            Create(output, AnsiSupport.No, width),
            Create(error, errorIsTerminal ? AnsiSupport.Yes : AnsiSupport.No, width),
            errorIsTerminal);

    private static IAnsiConsole Create(TextWriter writer, AnsiSupport ansi, int? width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = ansi,
            ColorSystem = ansi == AnsiSupport.No ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = ansi == AnsiSupport.No ? InteractionSupport.No : ansi == AnsiSupport.Yes ? InteractionSupport.Yes : InteractionSupport.Detect,
        });
        if (width is { } w)
        {
            console.Profile.Width = w;
        }
        // Box-drawing borders and CJK text: string writers and UTF-8 terminals take Unicode.
        console.Profile.Capabilities.Unicode = true;
        return console;
    }
}

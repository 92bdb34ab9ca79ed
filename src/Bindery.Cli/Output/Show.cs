using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Bindery.Cli.Output;

/// <summary>
/// Tables and fields for people. Every value from the server is shown as plain text (never parsed as Spectre
/// markup), so brackets and Chinese text come out as sent.
/// </summary>
public static class Show
{
    public const string None = "—";

    /// <summary>A JSON value as text: strings as they are, null as "—", booleans as yes/no.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => None,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is { Length: > 0 } s ? s : None,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "yes",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "no",
        JsonValue v => v.ToJsonString(),
        JsonArray a => a.Count == 0 ? None : string.Join(", ", a.Select(Text)),
        _ => node.ToJsonString(),
    };

    public static string Text(JsonNode? node, string property) => Text(node?[property]);

    /// <summary>
    /// An instant for a table: ISO 8601 UTC to the second ("2026-03-03T08:00:00Z"). A fraction of a second is cut, or,
    /// for an instant something passes at, rounded up, so the table never says it passes before it does.
    /// Anything else is shown as it came.
    /// </summary>
    public static string Instant(JsonNode? node, bool roundUp = false)
    {
        var text = Text(node);
        if (!text.EndsWith('Z') || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
        {
            return text;
        }
        var whole = new DateTimeOffset(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        if (roundUp && whole < t)
        {
            whole = whole.AddSeconds(1);
        }
        return whole.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    public static string Instant(JsonNode? node, string property, bool roundUp = false) => Instant(node?[property], roundUp);

    /// <summary>Columns of prose, which wrap; ids, codes and instants stay on one line so they can be copied.</summary>
    private static readonly HashSet<string> Prose = new(StringComparer.Ordinal) { "Message", "Rule in words", "Name", "Subject", "Actor", "Result" };

    public static Table Table(params string[] headers)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var h in headers)
        {
            var column = new TableColumn(new Text(h, new Style(decoration: Decoration.Bold)));
            table.AddColumn(Prose.Contains(h) ? column : column.NoWrap());
        }
        return table;
    }

    public static void Row(this Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? None)).ToArray());

    /// <summary>Label/value pairs, one per line.</summary>
    public static void Fields(IAnsiConsole console, IEnumerable<(string Label, string? Value)> fields)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        foreach (var (label, value) in fields)
        {
            grid.AddRow(new Text(label, new Style(decoration: Decoration.Bold)), new Text(value ?? None));
        }
        console.Write(grid);
    }

    public static void Line(IAnsiConsole console, string text) => console.Write(new Text(text + Environment.NewLine));

    public static void Bold(IAnsiConsole console, string text) => console.Write(new Text(text + Environment.NewLine, new Style(decoration: Decoration.Bold)));

    /// <summary>
    /// Every reason of a check or a rule denial: rule id, code, message (in the language asked for), when it passes
    /// ("not by waiting" when no instant makes it pass) and whether support can help.
    /// </summary>
    public static Table Reasons(JsonArray reasons)
    {
        var table = Table("Rule", "Code", "Message", "Passes at", "Support");
        foreach (var r in reasons)
        {
            table.Row(Text(r, "rule"), Text(r, "code"), Text(r, "message"),
                r?["passesAt"] is null ? "not by waiting" : Instant(r, "passesAt", roundUp: true),
                r?["supportCanHelp"] is null ? None : Text(r, "supportCanHelp"));
        }
        return table;
    }

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

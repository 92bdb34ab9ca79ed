using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bindery.Domain;

/// <summary>
/// Points each error of <see cref="PolicyParser"/> at a line of the policy file. The parser names field paths
/// ("capacity.invited.channel", "eligibility.allowedOrigins[2]", "unbindApplication.reasons.0.code"); this reads the
/// file once more with the same options and records the 1-based line where each property or array element starts.
/// A path that is absent (a required field that is missing) points at its nearest present ancestor, so every error
/// gets a line. Pure: text in, numbers out.
/// </summary>
public static class PolicyErrorLines
{
    /// <summary>One error of a policy file with the line it points at (1-based).</summary>
    public sealed record LocatedError(int Line, string Message);

    /// <summary>The 1-based line of every property and array element, keyed by path ("a.b.0.c"); "" is the root.</summary>
    public static IReadOnlyDictionary<string, int> PathLines(string json)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var newlines = new LineCounter(bytes);
        // One frame per open container: its path, whether it is an array, and the next element index.
        var stack = new Stack<(string Path, bool IsArray, int Next)>();
        string? pendingProperty = null;
        try
        {
            while (reader.Read())
            {
                var line = newlines.LineAt(reader.TokenStartIndex);
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    var parent = stack.Peek().Path;
                    pendingProperty = Join(parent, reader.GetString()!);
                    lines.TryAdd(pendingProperty, line);
                    continue;
                }
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    stack.Pop();
                    continue;
                }
                // A value: its path is the pending property, the next array index, or the root.
                string path;
                if (pendingProperty is not null)
                {
                    path = pendingProperty;
                    pendingProperty = null;
                }
                else if (stack.Count > 0 && stack.Peek().IsArray)
                {
                    var frame = stack.Pop();
                    path = Join(frame.Path, frame.Next.ToString(CultureInfo.InvariantCulture));
                    stack.Push(frame with { Next = frame.Next + 1 });
                    lines.TryAdd(path, line);
                }
                else
                {
                    path = "";
                    lines.TryAdd(path, line);
                }
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    stack.Push((path, reader.TokenType == JsonTokenType.StartArray, 0));
                }
            }
        }
        catch (JsonException)
        {
            // Broken JSON: keep what was read; the parser reports the syntax error with its own line.
        }
        return lines;
    }

    /// <summary>
    /// The line an error of <see cref="PolicyException.Errors"/> points at: the line of a syntax error as the parser
    /// states it, else the line of the field path before the first ": " (or of its nearest present ancestor).
    /// </summary>
    public static int LineOf(IReadOnlyDictionary<string, int> pathLines, string error)
    {
        if (SyntaxErrorLine(error) is { } syntaxLine)
        {
            return syntaxLine;
        }
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        var path = colon < 0 ? "" : Normalize(error[..colon]);
        while (true)
        {
            if (pathLines.TryGetValue(path, out var line))
            {
                return line;
            }
            if (path.Length == 0)
            {
                return 1;
            }
            var dot = path.LastIndexOf('.');
            path = dot < 0 ? "" : path[..dot];
        }
    }

    /// <summary>Every error of the exception with its line, in line order (stable for equal lines).</summary>
    public static IReadOnlyList<LocatedError> Locate(string json, PolicyException e)
    {
        var lines = PathLines(json);
        return e.Errors.Select(error => new LocatedError(LineOf(lines, error), error)).OrderBy(x => x.Line).ToArray();
    }

    /// <summary>"a.b[2].c" and "a.b.2.c" are the same path.</summary>
    public static string Normalize(string path) => path.Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal);

    private static int? SyntaxErrorLine(string error)
    {
        // PolicyParser writes "line N, position M: not valid JSON (...)".
        const string prefix = "line ";
        if (!error.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var end = error.IndexOf(',', prefix.Length);
        return end > prefix.Length && int.TryParse(error.AsSpan(prefix.Length, end - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
    }

    private static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    /// <summary>Counts newlines up to a byte offset, moving forward only (the reader's offsets only grow).</summary>
    private sealed class LineCounter(byte[] bytes)
    {
        private long position;
        private int line = 1;

        public int LineAt(long offset)
        {
            for (; position < offset && position < bytes.Length; position++)
            {
                if (bytes[position] == (byte)'\n')
                {
                    line++;
                }
            }
            return line;
        }
    }
}

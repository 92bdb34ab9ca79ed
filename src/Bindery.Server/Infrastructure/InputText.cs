using System.Text;
using System.Text.Json;

namespace Bindery.Server.Infrastructure;

/// <summary>
/// What text a request may carry, checked once for every string of every request (JSON bodies, route and query values
/// and console forms in <see cref="InputGate"/>, multipart fields in the evidence form reader): no C0 control characters (U+0000–U+001F) and no DEL, except tab, line feed and carriage return
/// in multi-line free text (<see cref="MultiLineFields"/>); no C1 control characters (U+0080–U+009F); no line or paragraph
/// separators (U+2028, U+2029) outside multi-line free text; and no bidirectional embedding, override or isolate
/// characters (U+202A–U+202E, U+2066–U+2069) anywhere, since they make stored names display as other names. A refusal
/// is a 400 validation_failed naming the field. PostgreSQL cannot store U+0000 in text at all; SQLite would.
/// </summary>
public static class InputText
{
    /// <summary>JSON members that are multi-line free text (messages, reasons, notes, descriptions).</summary>
    public static readonly IReadOnlySet<string> MultiLineFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "reason", "reasonText", "note", "message", "body", "description",
    };

    /// <summary>Why <paramref name="value"/> is refused, or null when it is acceptable.</summary>
    public static string? Problem(string value, bool multiLine)
    {
        foreach (var c in value)
        {
            if (multiLine && c is '\t' or '\n' or '\r')
            {
                continue;
            }
            if (c < 0x20 || c is >= '\u007f' and <= '\u009f')
            {
                return $"must not contain control characters (found U+{(int)c:X4})";
            }
            if (!multiLine && c is '\u2028' or '\u2029')
            {
                return $"must not contain line or paragraph separators (found U+{(int)c:X4})";
            }
            if (c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069')
            {
                return $"must not contain bidirectional override characters (found U+{(int)c:X4})";
            }
        }
        return null;
    }

    /// <summary>A parameter name fit to be echoed in a problem (its control characters written as \uXXXX).</summary>
    public static string Printable(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c < 0x20 || c is >= '\u007f' and <= '\u009f' or '\u2028' or '\u2029' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069')
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The first string of a JSON body that <see cref="Problem"/> refuses, with the field it sits in (<c>items[2].name</c>),
    /// or null. Member names are checked too. Every string counts, whether or not the endpoint reads that member, so
    /// nothing depends on which request type an endpoint declares. A body that is not JSON is left to the endpoint (a
    /// malformed_request there).
    /// </summary>
    public static (string Field, string Problem)? FirstProblem(byte[] json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
            var stack = new List<Frame>();
            while (reader.Read())
            {
                var top = stack.Count == 0 ? null : stack[^1];
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        top!.Name = reader.GetString();
                        if (Problem(top.Name!, multiLine: false) is { } nameProblem)
                        {
                            return (Path(stack), nameProblem);
                        }
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (top is { IsArray: true })
                        {
                            top.Index++;
                        }
                        stack.Add(new Frame { IsArray = reader.TokenType == JsonTokenType.StartArray });
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        stack.RemoveAt(stack.Count - 1);
                        break;
                    default:
                        if (top is { IsArray: true })
                        {
                            top.Index++;
                        }
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            var member = stack.LastOrDefault(f => !f.IsArray)?.Name;
                            var multiLine = member is not null && MultiLineFields.Contains(member);
                            if (Problem(reader.GetString()!, multiLine) is { } problem)
                            {
                                return (Path(stack), problem);
                            }
                        }
                        break;
                }
            }
            return null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Path(List<Frame> stack)
    {
        var sb = new StringBuilder();
        foreach (var frame in stack)
        {
            if (frame.IsArray)
            {
                sb.Append('[').Append(frame.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(']');
            }
            else if (frame.Name is not null)
            {
                if (sb.Length > 0)
                {
                    sb.Append('.');
                }
                sb.Append(Printable(frame.Name));
            }
        }
        return sb.Length == 0 ? "body" : sb.ToString();
    }

    private sealed class Frame
    {
        public bool IsArray { get; init; }

        public int Index { get; set; } = -1;

        public string? Name { get; set; }
    }
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Bindery.Server.Infrastructure;

/// <summary>
/// What text a request may carry, checked once for every string of every request (JSON bodies through the converters
/// installed by <see cref="Configure"/>, route and query values in <see cref="InputGate"/>, multipart fields in the
/// evidence form reader): no C0 control characters (U+0000–U+001F) and no DEL, except tab, line feed and carriage return
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

    /// <summary>Installs the checks on the JSON options that read request bodies.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(SingleLine);
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(info =>
        {
            foreach (var property in info.Properties)
            {
                if (property.PropertyType == typeof(string) && MultiLineFields.Contains(property.Name))
                {
                    property.CustomConverter = MultiLine;
                }
            }
        });
    }

    private static readonly TextConverter SingleLine = new(multiLine: false);
    private static readonly TextConverter MultiLine = new(multiLine: true);

    private sealed class TextConverter(bool multiLine) : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                // No message of its own: the serializer writes its usual one with the path (which names the field).
                throw new JsonException();
            }
            var value = reader.GetString()!;
            return Problem(value, multiLine) is { } problem ? throw new TextInputException(problem) : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

        public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString()!;
            return Problem(value, multiLine: false) is { } problem ? throw new TextInputException(problem) : value;
        }

        public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
    }
}

/// <summary>A JSON string refused by <see cref="InputText"/>; its <see cref="JsonException.Path"/> names the field.</summary>
public sealed class TextInputException(string message) : JsonException(message);

/// <summary>Turns a JSON path such as <c>$.items[2].name</c> into the field name of a problem (<c>items[2].name</c>).</summary>
public static class JsonPaths
{
    public static string Field(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}

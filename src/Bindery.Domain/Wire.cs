using System.Globalization;
using System.Text;

namespace Bindery.Domain;

/// <summary>
/// The stable wire names of the domain enums (snake_case), used in the API, the policy files and the database,
/// so renaming a C# member never changes data.
/// </summary>
public static class Wire
{
    public static string Name<T>(T value) where T : struct, Enum => Names<T>.ByValue[value];

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        if (text is not null && Names<T>.ByName.TryGetValue(text, out value))
        {
            return true;
        }
        value = default;
        return false;
    }

    public static T Parse<T>(string text) where T : struct, Enum =>
        TryParse<T>(text, out var v) ? v : throw new FormatException($"'{text}' is not one of: {string.Join(", ", All<T>())}");

    public static IReadOnlyList<string> All<T>() where T : struct, Enum => Names<T>.List;

    private static class Names<T> where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ByValue = Enum.GetValues<T>().ToDictionary(v => v, v =>
            typeof(T).GetField(v.ToString())?.GetCustomAttributes(typeof(WireNameAttribute), false).OfType<WireNameAttribute>().FirstOrDefault()?.Name
            ?? Snake(v.ToString()));
        public static readonly Dictionary<string, T> ByName = ByValue.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.OrdinalIgnoreCase);
        public static readonly IReadOnlyList<string> List = ByValue.Values.ToArray();
    }

    private static string Snake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                sb.Append('_');
            }
            sb.Append(char.ToLower(c, CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}

/// <summary>Overrides the wire name of an enum member where snake case would mangle a brand (TikTok → "tiktok").</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class WireNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

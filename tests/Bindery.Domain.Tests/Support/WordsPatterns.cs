using System.Text.RegularExpressions;

namespace Bindery.Domain.Tests;

/// <summary>
/// What text meant for people must not hold: an ISO 8601 duration, an unfilled placeholder or a stray brace, or a
/// count of one with a plural ("1 reasons", "1 are", "account(s)"). Shared with the server's tests (linked source).
/// </summary>
public static partial class WordsPatterns
{
    [GeneratedRegex(@"\bP(?:\d+[YMWD])*(?:T\d+(?:\.\d+)?[HMS])+\b|\bP\d+[YMWD]\b")]
    public static partial Regex IsoDuration();

    [GeneratedRegex(@"\{[A-Za-z0-9]+(?::[^}]*)?\}")]
    public static partial Regex Placeholder();

    /// <summary>A brace left in filled text: a placeholder the filling missed or a malformed one.</summary>
    [GeneratedRegex(@"[{}]")]
    public static partial Regex Brace();

    [GeneratedRegex(@"(?<![\d.])(?<!\+ )\b1 (?:[a-z]+ )?(?:reasons|accounts|attempts|applications|tickets|entries|times|changes|codes|files|characters|binds|unbinds|days|hours|minutes|seconds|items|are|were)\b|\w\(s\)")]
    public static partial Regex PluralError();
}

namespace Bindery.Domain;

/// <summary>
/// One failing rule. <see cref="Rule"/> is the spec id (e.g. TS-Q1), <see cref="Code"/> a stable machine code,
/// <see cref="PassesAt"/> the instant a time rule will pass (null when it never passes by waiting alone),
/// <see cref="SupportCanHelp"/> whether support staff may correct the data behind it (TS-E7), when that applies.
/// </summary>
public sealed record Reason(
    string Rule,
    string Code,
    DateTimeOffset? PassesAt = null,
    bool? SupportCanHelp = null,
    IReadOnlyDictionary<string, string>? Args = null)
{
    public string Message(Language language) => Messages.Format(Code, Args, language);
}

/// <summary>Allowed, or denied with every failing rule. Denials are values, never exceptions.</summary>
public sealed class Decision
{
    public static readonly Decision Allowed = new([]);

    private Decision(IReadOnlyList<Reason> reasons) => Reasons = reasons;

    public IReadOnlyList<Reason> Reasons { get; }

    public bool IsAllowed => Reasons.Count == 0;

    /// <summary>The failing rule ids, each once, in the order they failed.</summary>
    public IReadOnlyList<string> RuleIds => Reasons.Select(r => r.Rule).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The latest instant at which every failing time rule passes, if all failing rules are time rules.</summary>
    public DateTimeOffset? AllPassAt =>
        IsAllowed || Reasons.Any(r => r.PassesAt is null) ? null : Reasons.Max(r => r.PassesAt);

    public static Decision Denied(IReadOnlyList<Reason> reasons) =>
        reasons.Count == 0 ? Allowed : new Decision(reasons);
}

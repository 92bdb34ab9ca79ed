using Bindery.Domain;

namespace Bindery.Server.Core;

/// <summary>Words in both languages: a result carries both, and whoever answers the caller picks the caller's.</summary>
public readonly record struct Say(string En, string Zh)
{
    public string In(Language language) => language == Language.ZhCn ? Zh : En;
}

/// <summary>
/// What a command or query answers, with no transport: a value (ok, created, done) or a refusal (denied by the rules,
/// not found, forbidden, invalid fields, refused with a stable code). Results never choose a status code: the HTTP
/// edge maps each kind, and each refusal code, to one (ADR 0021); the console shows them as pages.
/// </summary>
public abstract record Result
{
    private protected Result()
    {
    }

    /// <summary>The action happened (or the query found what it asked for).</summary>
    public bool IsSuccess => this is ValueResult or CreationResult or DoneResult;

    /// <summary>
    /// A refusal whose staged changes still commit (DY-M4: a wrong code is refused, yet it counts towards the lock).
    /// Every other refusal changes nothing.
    /// </summary>
    public bool CommitsChanges { get; init; }

    public static Result Ok(object value) => new ValueResult(value);

    /// <summary>Something new exists; <paramref name="location"/> is its address in the API.</summary>
    public static Result Created(object value, string location) => new CreationResult(value, location);

    /// <summary>Done, with nothing to show.</summary>
    public static readonly Result Done = new DoneResult();

    /// <summary>The rules refuse: the decision names every failing rule, its message and when it passes.</summary>
    public static Result Denied(Decision decision) => new DeniedResult(decision);

    /// <summary>No <paramref name="thing"/> with that id is visible to the caller (a key of the catalog's <c>thing.</c> words).</summary>
    public static Result NotFound(string thing) => new MissingResult(thing);

    public static Result Forbidden() => new ForbiddenResult(null);

    public static Result Forbidden(string en, string zh) => new ForbiddenResult(new Say(en, zh));

    public static Result Invalid(string field, string message) =>
        new InvalidResult(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    public static Result Invalid(IReadOnlyDictionary<string, string[]> errors) => new InvalidResult(errors);

    /// <summary>Invalid fields found by rules (DY-A1, DY-A5): each reason goes to the field its <c>field</c> argument names.</summary>
    public static Result Invalid(Decision decision, string defaultField = "form") =>
        new InvalidResult(new Dictionary<string, string[]>(StringComparer.Ordinal)) { Decision = decision, DefaultField = defaultField };

    /// <summary>The request conflicts with what is stored (code <c>conflict</c>).</summary>
    public static Result Conflict(string en, string zh) => new RefusedResult("conflict", new Say(en, zh));

    /// <summary>A refusal with its own stable code (a key of the catalog's <c>problem.</c> titles).</summary>
    public static Result Refused(string code) => new RefusedResult(code, null);

    public static Result Refused(string code, string en, string zh) => new RefusedResult(code, new Say(en, zh));

    /// <summary>
    /// DY-L1, DY-L2: a status that a lifecycle endpoint owns cannot be set by a plain edit, which would leave bindings
    /// live; <paramref name="endpoint"/> names the one to use.
    /// </summary>
    public static Result UseLifecycleEndpoint(string endpoint, string en, string zh) =>
        new RefusedResult("use_lifecycle_endpoint", new Say(en, zh))
        {
            Extensions = new Dictionary<string, object>(StringComparer.Ordinal) { ["endpoint"] = endpoint },
        };
}

public sealed record ValueResult(object Value) : Result;

public sealed record CreationResult(object Value, string Location) : Result;

public sealed record DoneResult : Result;

public sealed record DeniedResult(Decision Decision) : Result;

public sealed record MissingResult(string Thing) : Result;

public sealed record ForbiddenResult(Say? Detail) : Result;

/// <summary>Field errors (field → messages), or a <see cref="Decision"/> whose reasons are the field errors.</summary>
public sealed record InvalidResult(IReadOnlyDictionary<string, string[]> Errors) : Result
{
    public Decision? Decision { get; init; }

    public string DefaultField { get; init; } = "form";
}

/// <summary>
/// A refusal with a stable <see cref="Code"/>; <see cref="Decision"/> (optional) names the rules behind it,
/// <see cref="Extensions"/> are further members a client may act on (e.g. <c>attemptsLeft</c>).
/// </summary>
public sealed record RefusedResult(string Code, Say? Detail) : Result
{
    public Decision? Decision { get; init; }

    /// <summary>A title more exact than the code's own (e.g. which form was malformed).</summary>
    public Say? Title { get; init; }

    public DateTimeOffset? PassesAt { get; init; }

    /// <summary>When asking again may succeed (an overloaded writer): sent as Retry-After.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The rules behind a refusal that carries no <see cref="Decision"/>.</summary>
    public IReadOnlyList<string>? RuleIds { get; init; }

    public IReadOnlyDictionary<string, object>? Extensions { get; init; }
}

/// <summary>Z-3: the stored first answer of an idempotent request, given again as it was.</summary>
public sealed record ReplayedResult(StoredAnswer Answer) : Result;

/// <summary>An answer as the edge rendered and stored it: opaque to the core, which only keeps and returns it.</summary>
public sealed record StoredAnswer(int Code, string Body, string? Location);

/// <summary>
/// Renders a result as the answer the caller got, to be stored with an idempotency key (Z-3). The HTTP edge
/// provides it, so the stored answer is byte for byte what was sent.
/// </summary>
public interface IAnswerRecorder
{
    /// <summary>The answer as sent, or null when it must not be stored (a server failure is not an answer to repeat).</summary>
    StoredAnswer? Record(Result result, Actor actor);
}
